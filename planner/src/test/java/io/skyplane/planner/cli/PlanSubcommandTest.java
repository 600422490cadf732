package io.skyplane.planner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** PlanCommand registered under a top-level command, as the job module does. */
class PlanSubcommandTest {

  @Command(name = "skyplane", mixinStandardHelpOptions = true)
  static final class Top implements Runnable {
    @Override
    public void run() {}
  }

  @Test
  void runsAsSubcommandWithOneLineUsageErrors() {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    var top = new CommandLine(new Top())
        .addSubcommand(new PlanCommand(new PrintStream(out, true, StandardCharsets.UTF_8), errStream))
        .setParameterExceptionHandler(PlanCommand.ONE_LINE_USAGE_ERRORS);
    top.setErr(new PrintWriter(errStream, true));

    assertThat(top.execute("plan", "aws:us-east-1", "aws:eu-west-1", "--volume", "10GB", "--throughput", "1Gbps"))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Plan (min-cost): aws:us-east-1 -> aws:eu-west-1");

    assertThat(top.execute("plan", "aws:us-east-1")).isEqualTo(PlanCommandLine.BAD_INPUT);
    assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement()
        .satisfies(line -> assertThat(line).startsWith("skyplane plan: error: Missing required"));
  }
}
