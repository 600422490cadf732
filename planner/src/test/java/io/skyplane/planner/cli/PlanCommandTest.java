package io.skyplane.planner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.planner.TransferPlan;
import io.skyplane.planner.io.PlanJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command end to end with the bundled configuration (estimated grid). */
class PlanCommandTest {

  record Result(int code, String out, String err) {
    long errLines() {
      return err.lines().count();
    }
  }

  static Result run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    var errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    var cl = PlanCommand.commandLine(new PlanCommand(outStream, errStream));
    cl.setOut(new java.io.PrintWriter(outStream, true));
    cl.setErr(new java.io.PrintWriter(errStream, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void printsTableWithDirectComparison() {
    Result r = run("azure:westeurope", "azure:australiaeast", "--volume", "1TB", "--throughput", "5Gbps",
        "--max-vms-per-region", "1");
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Plan (min-cost): azure:westeurope -> azure:australiaeast")
        .contains("relay").contains("speed-up").contains("direct").contains("PATH");
  }

  @Test
  void jsonRoundTrips() {
    Result r = run("aws:us-east-1", "gcp:europe-west4", "--volume", "500GB", "--max-cost", "60USD", "--json");
    assertThat(r.code()).isZero();
    TransferPlan plan = PlanJson.read(r.out());
    assertThat(plan.formulation()).isEqualTo("max-throughput");
    assertThat(plan.figures().totalUsd()).isLessThanOrEqualTo(60 + 1e-6);
    assertThat(r.out()).contains("\"source\" : \"aws:us-east-1\"").contains("\"totalUsd\"");
    assertThat(PlanJson.write(plan)).isEqualTo(r.out().strip());
  }

  @Test
  void unknownRegionIsOneLineAndExitTwo() {
    Result r = run("aws:us-east-1", "gcp:mars-north1", "--volume", "5GB");
    assertThat(r.code()).isEqualTo(PlanCommandLine.BAD_INPUT);
    assertThat(r.errLines()).isOne();
    assertThat(r.err()).startsWith("skyplane plan: error: unknown destination region 'gcp:mars-north1'");
  }

  @Test
  void bucketUriIsNotYetSupported() {
    Result r = run("s3://bucket/prefix", "gcp:europe-west4", "--volume", "5GB");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines()).isOne();
    assertThat(r.err()).contains("bucket URIs are not supported yet");
  }

  @Test
  void badQuantitiesAndUsageAreOneLineAndExitTwo() {
    for (String[] args : new String[][] {
        {"aws:us-east-1", "gcp:europe-west4", "--volume", "0GB"},
        {"aws:us-east-1", "gcp:europe-west4", "--volume", "5GB", "--throughput", "-1Gbps"},
        {"aws:us-east-1", "gcp:europe-west4", "--volume", "5GB", "--throughput", "1Gbps", "--max-cost", "3USD"},
        {"aws:us-east-1", "gcp:europe-west4", "--volume", "5GB", "--bogus"},
        {"aws:us-east-1", "gcp:europe-west4"},
        {"aws:us-east-1", "gcp:europe-west4", "--volume", "5GB", "--avoid", "aws:nowhere-1"},
        {"aws:us-east-1", "gcp:europe-west4", "--volume", "5GB", "--avoid", "aws:us-east-1"},
        {"aws:us-east-1", "gcp:europe-west4", "--volume", "5GB", "--max-hops", "9"},
        {"aws:us-east-1", "gcp:europe-west4", "--volume", "5GB", "--conf", "/nonexistent/conf"},
        {"aws:us-east-1", "gcp:europe-west4", "--volume", "5GB", "--grid", "/nonexistent/grid.csv"}}) {
      Result r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.errLines()).as(r.err()).isOne();
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void infeasibleTargetSaysTheBestThroughputAndWhy() {
    Result r = run("aws:us-east-1", "gcp:europe-west4", "--volume", "500GB", "--throughput", "100Gbps");
    assertThat(r.code()).isEqualTo(PlanCommandLine.INFEASIBLE);
    assertThat(r.errLines()).isOne();
    assertThat(r.err()).contains("cannot reach 100.00 Gbps").contains("best plan reaches 40.00 Gbps")
        .contains("per-VM egress cap");
  }

  @Test
  void malformedGridNamesFileAndLine(@TempDir Path dir) throws IOException {
    Path grid = dir.resolve("grid.csv");
    Files.writeString(grid, "# measured\nsrc,dst,gbps\naws:us-east-1,gcp:europe-west4,5\naws:us-east-1,gcp:europe-west4a,x\n");
    Result r = run("aws:us-east-1", "gcp:europe-west4", "--volume", "5GB", "--grid", grid.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines()).isOne();
    assertThat(r.err()).contains(grid + ":4: ");
  }

  @Test
  void malformedPricesNameFileAndLine(@TempDir Path dir) throws IOException {
    Path prices = dir.resolve("prices.csv");
    Files.writeString(prices, "src,dst,usd_per_gb\naws:us-east-1,gcp:europe-west4,-0.1\n");
    Result r = run("aws:us-east-1", "gcp:europe-west4", "--volume", "5GB", "--prices", prices.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(prices + ":2: negative egress price");
  }

  @Test
  void pairPricesFileChangesTheCost(@TempDir Path dir) throws IOException {
    Path prices = dir.resolve("prices.csv");
    Files.writeString(prices, "src,dst,usd_per_gb\naws:us-east-1,gcp:europe-west4,0.5\n");
    Result r = run("aws:us-east-1", "gcp:europe-west4", "--volume", "100GB", "--throughput", "1Gbps",
        "--direct", "--prices", prices.toString(), "--json");
    assertThat(r.code()).isZero();
    TransferPlan plan = PlanJson.read(r.out());
    assertThat(plan.formulation()).isEqualTo("direct");
    assertThat(plan.figures().egressUsd()).isEqualTo(50.0, org.assertj.core.api.Assertions.within(1e-6));
  }

  @Test
  void helpListsExitCodes() {
    Result r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("--volume").contains("--avoid").contains("3").contains("infeasible");
  }
}
