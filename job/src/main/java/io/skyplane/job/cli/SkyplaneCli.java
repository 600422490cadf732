package io.skyplane.job.cli;

import io.skyplane.job.transfer.EarlyStart;
import io.skyplane.job.transfer.StartupClock;
import io.skyplane.planner.cli.PlanCommand;
import io.skyplane.planner.cli.TopologyCommand;
import java.util.Arrays;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code skyplane} command: {@code java -jar skyplane-job.jar ...} or {@code flink run skyplane-job.jar ...}. */
@Command(
    name = "skyplane",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Fast, verified bulk transfer between object stores and file systems, as a Flink job.",
    subcommands = {CopyCommand.class, SyncCommand.class, ProfileCommand.class, DeployCommand.class,
        TeardownCommand.class, CleanCommand.class, CommandLine.HelpCommand.class},
    footer = {
      "",
      "Exit codes (cp, sync): 0 every object arrived verified; 1 some objects failed; 2 bad input;",
      "                 3 the transfer job failed (with --deploy also: the deploy or the teardown failed);",
      "                 with --deploy, 130 after Ctrl-C (job cancelled, cluster destroyed).",
      "Exit codes (plan): 0 planned; 1 solver failure; 2 bad input; 3 infeasible.",
      "Exit codes (profile): 0 every pair measured; 1 some pairs not measured;",
      "                 2 bad input; 3 the profile job failed."
    })
public final class SkyplaneCli implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_OBJECTS_FAILED = 1;
  public static final int EXIT_BAD_INPUT = 2;
  public static final int EXIT_JOB_FAILED = 3;

  /** Options after which cp runs nothing. */
  private static final Set<String> HELP = Set.of("-h", "--help", "-V", "--version");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: skyplane cp --help)");
  }

  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new SkyplaneCli()).setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.addSubcommand(new PlanCommand());
    commandLine.addSubcommand(new TopologyCommand());
    commandLine.setParameterExceptionHandler(PlanCommand.ONE_LINE_USAGE_ERRORS);
    return commandLine;
  }

  public static void main(String[] args) {
    StartupClock.markMain();
    if (Boolean.getBoolean(EarlyStart.LAUNCHER_PROPERTY) && args.length > 0 && args[0].equals("cp")
        && Arrays.stream(args).noneMatch(HELP::contains)) {
      EarlyStart.warmUp(); // while the options are parsed; cp closes it if no run takes it
    }
    System.exit(commandLine().execute(args));
  }
}
