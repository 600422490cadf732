package io.skyplane.planner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TopologyCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private Path grid;
  private Path latency;

  @BeforeEach
  void files() throws IOException {
    grid = Files.writeString(dir.resolve("grid.csv"), """
        src,dst,gbps,rtt_ms
        aws:us-east-1,aws:us-west-2,4,61.5
        aws:us-west-2,aws:us-east-1,4.25,62
        aws:us-east-1,azure:eastus,16,20
        azure:eastus,aws:us-east-1,16,20
        aws:us-west-2,azure:eastus,0.0001,70
        """);
    latency = grid; // skyplane profile writes both figures into one file
  }

  private int run(String... args) {
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    CommandLine line = new CommandLine(new TopologyCommand(new PrintStream(out, true, StandardCharsets.UTF_8), errStream))
        .setParameterExceptionHandler(PlanCommand.ONE_LINE_USAGE_ERRORS);
    line.setErr(new PrintWriter(errStream, true));
    return line.execute(args);
  }

  private String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void scalesEveryOrderedPairOfTheGridAndTakesItsRoundTripTimes() throws IOException {
    Path file = dir.resolve("sky.topology");
    assertThat(run("aws:us-east-1=s3", "aws:us-west-2=gcs", "--grid", grid.toString(),
        "--latency", latency.toString(), "--scale", "10", "--taskmanagers", "2", "-o", file.toString()))
        .as(errors()).isZero();

    assertThat(Files.readAllLines(file)).filteredOn(l -> !l.startsWith("#")).containsExactly(
        "region aws:us-east-1 store=s3 taskmanagers=2",
        "region aws:us-west-2 store=gcs taskmanagers=2",
        "link aws:us-east-1 -> aws:us-west-2 rate=40000kbit rtt=62ms   # grid 4 Gbps",
        "link aws:us-west-2 -> aws:us-east-1 rate=42500kbit rtt=62ms   # grid 4.250 Gbps");
  }

  @Test
  void pairsWithoutALatencyFigureGetTheDefaultAndMissingPairsTheMissingRate() {
    assertThat(run("aws:us-west-2", "azure:eastus=azure", "--grid", grid.toString(), "--rtt", "33",
        "--scale", "1000000", "--missing-rate", "7")).as(errors()).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("link")))
        .containsExactly(
            "link aws:us-west-2 -> azure:eastus rate=100000kbit rtt=33ms   # grid 0.0001000 Gbps, default rtt",
            "link azure:eastus -> aws:us-west-2 rate=7000kbit rtt=33ms   # not in the grid: --missing-rate, default rtt");
  }

  @Test
  void badInputIsOneLineAndExitTwo() {
    assertThat(run("aws:us-west-2", "azure:eastus", "--grid", grid.toString())).isEqualTo(2);
    assertThat(errors().lines()).singleElement().satisfies(l -> assertThat(l)
        .isEqualTo("skyplane topology: error: the grid " + grid + " has no throughput for azure:eastus -> "
            + "aws:us-west-2 (give --missing-rate, or another region)"));
    err.reset();
    assertThat(run("aws:us-west-2", "azure:eastus", "--grid", grid.toString(), "--missing-rate", "1", "--scale", "1"))
        .isEqualTo(2);
    assertThat(errors()).contains("rounds to 0 kbit/s");
    err.reset();
    assertThat(run("aws:us-east-1=ftp", "aws:us-west-2", "--grid", grid.toString())).isEqualTo(2);
    assertThat(errors().lines()).singleElement().satisfies(l -> assertThat(l).contains("unknown store 'ftp'"));
    err.reset();
    assertThat(run("aws:mars-1", "aws:us-west-2", "--grid", grid.toString())).isEqualTo(2);
    assertThat(errors()).contains("unknown region 'aws:mars-1'");
    err.reset();
    assertThat(run("aws:us-east-1", "aws:us-east-1", "--grid", grid.toString())).isEqualTo(2);
    assertThat(errors()).contains("listed twice");
    err.reset();
    assertThat(run("aws:us-east-1")).isEqualTo(2);
    assertThat(errors().lines()).singleElement().satisfies(l -> assertThat(l).startsWith("topology: error:"));
  }
}
