package io.skyplane.planner.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code skyplane plan}: picocli front end of {@link PlanCommandLine}. Register it as a subcommand
 * of the top-level {@code skyplane} command, or run {@link #main} standalone.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Plan a transfer: which relay regions to use, how many VMs and TaskManagers in each, and how",
      "much of the data each overlay path carries; compared with the direct transfer.",
      "Without --throughput or --max-cost: the fastest plan within the quotas."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:plan printed",
      "1:solver failure",
      "2:bad usage or input (unknown region, malformed file with file:line, bad quantity)",
      "3:infeasible (the message says the best throughput or the cheapest cost possible, and why)"
    })
public final class PlanCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SRC", description = "Source region id, e.g. aws:us-east-1.")
  String source;

  @Parameters(index = "1", paramLabel = "DST", description = "Destination region id, e.g. gcp:europe-west4.")
  String destination;

  @Option(names = "--volume", required = true, paramLabel = "SIZE", description = "Data to move, above 0 and at most 1EB, e.g. 500GB, 2TB, 100GiB.")
  String volume;

  @Option(names = "--throughput", paramLabel = "RATE",
      description = "min-cost: cheapest plan reaching at least this rate, 1Mbps..100Tbps, e.g. 10Gbps.")
  String throughput;

  @Option(names = "--max-cost", paramLabel = "USD",
      description = "max-throughput: fastest plan costing at most this, above 0 and at most 10^9 USD, e.g. 40USD.")
  String maxCost;

  @Option(names = "--direct", description = "Only the source and destination (the direct formulation).")
  boolean direct;

  @Option(names = "--grid", paramLabel = "FILE",
      description = "Throughput grid: src,dst,gbps or Skyplane's iperf3 CSV. Default: conf/planner/throughput-estimate.csv.")
  Path grid;

  @Option(names = "--prices", paramLabel = "FILE",
      description = "Per-pair egress prices overriding the rules: src,dst,usd_per_gb or Skyplane's src,dest,cost.")
  Path prices;

  @Option(names = "--conf", paramLabel = "DIR",
      description = "Directory with regions.csv, vm-types.csv, egress-prices.csv, throughput-estimate.csv replacing the bundled ones.")
  Path confDir;

  @Option(names = "--max-vms-per-region", paramLabel = "N", description = "VM quota per region, 1..1024 (default 8).")
  Integer maxVmsPerRegion;

  @Option(names = "--tms-per-vm", paramLabel = "N", description = "Flink TaskManagers per VM, 1..64 (default 1).")
  Integer taskManagersPerVm;

  @Option(names = "--max-hops", paramLabel = "N", description = "Most overlay edges on a path, 1..4 (default 2).")
  Integer maxHops;

  @Option(names = "--avoid", paramLabel = "REGION", arity = "1..*", split = ",",
      description = "Regions never used as relays (repeat or comma-separate).")
  List<String> avoid = new ArrayList<>();

  @Option(names = "--allow", paramLabel = "REGION", arity = "1..*", split = ",",
      description = "Only these regions may relay.")
  List<String> allow = new ArrayList<>();

  @Option(names = "--gcp-tier", paramLabel = "TIER", description = "GCP network tier for egress prices: premium (default) or standard.")
  String gcpTier;

  @Option(names = "--provisioning-overhead", paramLabel = "SECONDS",
      description = "VM time paid per VM besides the transfer, 0..86400 (default 120).")
  Double provisioningSeconds;

  @Option(names = "--json", description = "Print the plan as JSON instead of tables.")
  boolean json;

  @Option(names = "--emit-terraform", paramLabel = "DIR",
      description = "Also write the plan as deploy/terraform's variables: DIR/terraform.tfvars.json (then: skyplane deploy DIR).")
  Path emitTerraform;

  @Spec CommandSpec command;

  private PrintStream out;
  private PrintStream err;

  /** Prints to the command line's {@code getOut()} and {@code getErr()} (System.out and System.err unless set). */
  public PlanCommand() {}

  /** Prints to these streams. */
  public PlanCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  private void streams() {
    if (out == null) {
      out = WriterStreams.of(command.commandLine().getOut());
      err = WriterStreams.of(command.commandLine().getErr());
    }
  }

  @Override
  public Integer call() {
    streams();
    return PlanCommandLine.run(options(), Optional.ofNullable(emitTerraform), out, err);
  }

  PlanOptions options() {
    return new PlanOptions(source, destination, volume, Optional.ofNullable(throughput),
        Optional.ofNullable(maxCost), Optional.ofNullable(grid), Optional.ofNullable(prices),
        Optional.ofNullable(confDir), Optional.ofNullable(maxVmsPerRegion),
        Optional.ofNullable(taskManagersPerVm), Optional.ofNullable(maxHops), avoid, allow,
        Optional.ofNullable(gcpTier), Optional.ofNullable(provisioningSeconds), direct, json);
  }

  /**
   * Prints a usage error as one line ({@code skyplane plan: error: ... (see --help)}) and returns
   * {@link PlanCommandLine#BAD_INPUT}. Set it on the top-level {@code skyplane} command line too:
   * picocli uses the handler of the command line that {@code execute} is called on.
   */
  public static final CommandLine.IParameterExceptionHandler ONE_LINE_USAGE_ERRORS = (ex, args) -> {
    ex.getCommandLine().getErr().println(
        ex.getCommandLine().getCommandSpec().qualifiedName() + ": error: " + ex.getMessage() + " (see --help)");
    return PlanCommandLine.BAD_INPUT;
  };

  /** A command line for this command with {@link #ONE_LINE_USAGE_ERRORS}. */
  public static CommandLine commandLine(PlanCommand command) {
    return new CommandLine(command).setParameterExceptionHandler(ONE_LINE_USAGE_ERRORS);
  }

  public static void main(String[] args) {
    System.exit(commandLine(new PlanCommand()).execute(args));
  }
}
