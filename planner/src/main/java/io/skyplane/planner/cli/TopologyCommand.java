package io.skyplane.planner.cli;

import io.skyplane.planner.PlannerInputs;
import io.skyplane.planner.grid.LatencyGrid;
import io.skyplane.planner.io.CsvTable;
import io.skyplane.planner.io.TestbedTopology;
import io.skyplane.planner.region.RegionId;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code skyplane topology}: a sky-in-a-box topology ({@code deploy/local/bin/testbed}) derived from
 * a throughput grid by scaling, so plans made on the grid can be replayed on the emulated WAN.
 */
@Command(
    name = "topology",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Write a sky-in-a-box topology (deploy/local/bin/testbed up --topology FILE) derived from a",
      "throughput grid: every ordered pair of the regions becomes a link at the grid's rate times",
      "--scale, with the round-trip time of --latency (or --rtt)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:topology written", "2:bad usage or input (unknown region, malformed file, missing pair)"})
public final class TopologyCommand implements Callable<Integer> {
  private static final String PREFIX = "skyplane topology: ";
  /** --scale: above 0, at most 10^9 Mbit/s per Gbps. */
  static final double MAX_SCALE = 1e9;
  /** --rtt: 0..10 s. */
  static final double MAX_RTT_MILLIS = 10_000;
  /** --missing-rate: above 0, at most 1 Tbit/s. */
  static final double MAX_MISSING_RATE_MBIT = 1e6;
  /** --taskmanagers: 0..64, as the testbed takes. */
  static final int MAX_TASK_MANAGERS = 64;

  @Parameters(arity = "2..*", paramLabel = "REGION[=STORE]",
      description = "Regions in order, each with the store it hosts: s3, gcs, azure or none (default none), "
          + "e.g. aws:us-east-1=s3 aws:us-west-2 azure:eastus=azure.")
  List<String> regions = new ArrayList<>();

  @Option(names = "--grid", paramLabel = "FILE",
      description = "Throughput grid (src,dst,gbps, Skyplane's iperf3 CSV, or skyplane profile's output). "
          + "Default: conf/planner/throughput-estimate.csv.")
  Path grid;

  @Option(names = "--conf", paramLabel = "DIR", description = "Planner configuration directory (regions.csv etc.).")
  Path confDir;

  @Option(names = "--latency", paramLabel = "FILE",
      description = "Round-trip times: src,dst,rtt_ms (skyplane profile's output) or Skyplane's ping grid (avg_rtt).")
  Path latency;

  @Option(names = "--scale", paramLabel = "MBIT", defaultValue = "10",
      description = "Mbit/s on the testbed per Gbps in the grid, above 0 and at most 10^9 (default ${DEFAULT-VALUE}).")
  double mbitPerGbps;

  @Option(names = "--rtt", paramLabel = "MS", defaultValue = "40",
      description = "Round-trip time in ms of pairs without a latency figure, 0..10000 (default ${DEFAULT-VALUE}).")
  double rttMillis;

  @Option(names = "--missing-rate", paramLabel = "MBIT",
      description = "Rate in Mbit/s of pairs the grid lacks, above 0 and at most 10^6 (default: such a pair is an error).")
  Double missingRateMbit;

  @Option(names = "--taskmanagers", paramLabel = "N", defaultValue = "1",
      description = "TaskManagers per region, 0..64 (default ${DEFAULT-VALUE}).")
  int taskManagers;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
  Path output;

  @Spec CommandSpec command;

  private PrintStream out;
  private PrintStream err;

  /** Prints to the command line's {@code getOut()} and {@code getErr()} (System.out and System.err unless set). */
  public TopologyCommand() {}

  /** Prints to these streams. */
  public TopologyCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Range checks of the numeric options; IllegalArgumentException naming the option and the value. */
  private void checkNumbers() {
    OptionRanges.check("--scale", mbitPerGbps, Double.MIN_VALUE, MAX_SCALE, "above 0 and at most 1000000000 (Mbit/s per Gbps)",
        Double.toString(mbitPerGbps));
    OptionRanges.check("--rtt", rttMillis, 0, MAX_RTT_MILLIS, "between 0 and 10000 ms", Double.toString(rttMillis));
    if (missingRateMbit != null) {
      OptionRanges.check("--missing-rate", missingRateMbit, Double.MIN_VALUE, MAX_MISSING_RATE_MBIT,
          "above 0 and at most 1000000 Mbit/s", Double.toString(missingRateMbit));
    }
    OptionRanges.check("--taskmanagers", taskManagers, 0, MAX_TASK_MANAGERS);
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
    String text;
    try {
      checkNumbers();
      PlannerInputs inputs = PlannerInputs.load(Optional.ofNullable(confDir), Optional.ofNullable(grid), Optional.empty());
      List<TestbedTopology.Region> parsed = new ArrayList<>();
      for (String spec : regions) {
        int equals = spec.indexOf('=');
        String name = equals < 0 ? spec : spec.substring(0, equals);
        String store = equals < 0 ? "none" : spec.substring(equals + 1);
        RegionId id = RegionId.parse(name);
        if (inputs.catalog().find(id).isEmpty()) {
          throw new IllegalArgumentException("unknown region '" + name + "' (see conf/planner/regions.csv)");
        }
        parsed.add(new TestbedTopology.Region(id, store, taskManagers));
      }
      Optional<LatencyGrid> rtts = Optional.ofNullable(latency)
          .map(file -> LatencyGrid.load(CsvTable.read(file), inputs.catalog()));
      text = TestbedTopology.derive(parsed, inputs.grid(), rtts, mbitPerGbps, rttMillis,
          missingRateMbit == null ? OptionalDouble.empty() : OptionalDouble.of(missingRateMbit));
    } catch (IllegalArgumentException e) {
      err.println(PREFIX + "error: " + e.getMessage());
      return PlanCommandLine.BAD_INPUT;
    }
    if (output == null) {
      out.print(text);
      return PlanCommandLine.OK;
    }
    try {
      Files.writeString(output, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      err.println(PREFIX + "error: cannot write " + output + ": " + e.getMessage());
      return PlanCommandLine.BAD_INPUT;
    }
    err.println("topology for " + regions.size() + " regions written to " + output);
    return PlanCommandLine.OK;
  }
}
