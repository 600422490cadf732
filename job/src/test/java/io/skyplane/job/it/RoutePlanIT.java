package io.skyplane.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.job.testing.Cli;
import io.skyplane.job.testing.TestPlans;
import io.skyplane.job.testing.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cp --plan} on the embedded cluster (no test MiniCluster: the command starts its own, with
 * every region of the plan): the job graph follows the plan's paths, the report carries each edge.
 */
class RoutePlanIT {
  private static final String S = TestPlans.SOURCE;
  private static final String R = TestPlans.RELAY;
  private static final String D = TestPlans.DESTINATION;

  @TempDir Path tmp;

  @Test
  void copiesThroughTheRelayInProportionToThePathWeights() throws Exception {
    Path src = tmp.resolve("src");
    for (int i = 0; i < 40; i++) {
      Trees.random(src.resolve("d" + (i % 4) + "/f" + i + ".bin"), 3 * 128 * 1024 + i, i); // 4 chunks each
    }
    Trees.text(src.resolve("text/log.txt"), 600_000);
    Files.createDirectories(src.resolve("empty-dir-sibling"));
    Files.createFile(src.resolve("empty-dir-sibling/empty"));
    Path plan = TestPlans.write(TestPlans.relayed(0.7, 1, 1, 2), tmp.resolve("plan.json"));
    Path dst = tmp.resolve("dst");
    Path report = tmp.resolve("report.json");

    Cli cli = Cli.run("cp", "-r", src.toString(), dst.toString(), "--plan", plan.toString(),
        "--chunk-size", "128KiB", "--frame-size", "32KiB", "--tm-parallelism", "1", "--json", report.toString());

    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    Trees.assertIdentical(src, dst);
    Trees.assertNoTemporaryFiles(dst);
    assertThat(cli.err()).contains(R); // the plan is printed before the transfer
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("status").asText()).isEqualTo("succeeded");
    JsonNode planned = json.get("plan");
    assertThat(planned.get("parallelism").get(D).asInt()).isEqualTo(2);
    Map<String, JsonNode> edges = new HashMap<>();
    planned.get("edges").forEach(e -> edges.put(e.get("edge").asText(), e));
    assertThat(edges).containsOnlyKeys(S + "->" + R, R + "->" + D, S + "->" + D);
    JsonNode viaRelay = edges.get(S + "->" + R);
    // the relay forwards what it receives: same bytes and chunks on both of its edges
    assertThat(edges.get(R + "->" + D).get("bytes").asLong()).isEqualTo(viaRelay.get("bytes").asLong());
    assertThat(edges.get(R + "->" + D).get("chunks").asLong()).isEqualTo(viaRelay.get("chunks").asLong());
    assertThat(viaRelay.get("chunks").asLong() + edges.get(S + "->" + D).get("chunks").asLong())
        .isEqualTo(3 + 39 * 4 + 5 + 1); // f0 is exactly 3 chunks; 600,000 bytes of text are 5; the empty file 1
    // bytes follow the path weights within 10 %
    assertThat(viaRelay.get("share").asDouble()).isCloseTo(0.7, within(0.07));
    assertThat(viaRelay.get("plannedShare").asDouble()).isCloseTo(0.7, within(1e-9));
    long wire = viaRelay.get("bytes").asLong() + edges.get(S + "->" + D).get("bytes").asLong();
    assertThat(wire).isEqualTo(json.get("wireBytes").asLong());
  }

  @Test
  void syncFollowsThePlanAndARerunCopiesNothing() throws Exception {
    Path src = tmp.resolve("src");
    for (int i = 0; i < 5; i++) {
      Trees.random(src.resolve("s/f" + i), 300_000 + i, i);
    }
    Path plan = TestPlans.write(TestPlans.relayed(0.5, 1, 1, 1), tmp.resolve("plan.json"));
    Path dst = tmp.resolve("dst");
    Path report = tmp.resolve("sync.json");

    Cli first = Cli.run("sync", src.toString(), dst.toString(), "--plan", plan.toString(), "--chunk-size", "128KiB",
        "-q", "--json", report.toString());
    Cli again = Cli.run("sync", src.toString(), dst.toString(), "--plan", plan.toString(), "-q");

    assertThat(first.exitCode()).as(first.toString()).isZero();
    Trees.assertIdentical(src, dst);
    JsonNode copy = new ObjectMapper().readTree(report.toFile()).get("transfer");
    assertThat(copy.get("plan").get("edges")).hasSize(3);
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out()).contains("Synced: 0 copied, 0 deleted, 5 unchanged");
  }

  @Test
  void badPlansAreRefusedBeforeAnythingIsWritten() throws Exception {
    Path src = tmp.resolve("src");
    Trees.random(src.resolve("a.bin"), 1000, 1);
    Path dst = tmp.resolve("dst");
    Path garbage = tmp.resolve("garbage.json");
    Files.writeString(garbage, "{\"formulation\": 3");

    Cli notJson = Cli.run("cp", "-r", src.toString(), dst.toString(), "--plan", garbage.toString());
    Cli missing = Cli.run("cp", "-r", src.toString(), dst.toString(), "--plan", tmp.resolve("nope.json").toString());
    Cli both = Cli.run("cp", "-r", src.toString(), dst.toString(), "--plan", garbage.toString(), "--planner", "direct");
    Cli noRegion = Cli.run("cp", "-r", src.toString(), dst.toString(), "--planner", "direct");
    Cli noGoal = Cli.run("cp", "-r", src.toString(), dst.toString(), "--planner", "min-cost",
        "--source-region", S, "--destination-region", D);

    for (Cli cli : new Cli[] {notJson, missing, both, noRegion, noGoal}) {
      assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
      assertThat(cli.errLines()).as(cli.toString()).hasSize(1);
    }
    assertThat(notJson.err()).contains("garbage.json");
    assertThat(missing.err()).contains("nope.json");
    assertThat(noRegion.err()).contains("--source-region");
    assertThat(noGoal.err()).contains("--throughput");
    assertThat(dst).doesNotExist();
  }

  @Test
  void plansInlineAndRunsTheDirectPlan() throws Exception {
    Path src = tmp.resolve("src");
    Trees.random(src.resolve("a.bin"), 700_000, 1);
    Trees.random(src.resolve("b/c.bin"), 10, 2);
    Path dst = tmp.resolve("dst");
    Path report = tmp.resolve("report.json");

    Cli cli = Cli.run("cp", "-r", src.toString(), dst.toString(), "--planner", "direct",
        "--source-region", S, "--destination-region", D, "--chunk-size", "128KiB", "--json", report.toString());

    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    Trees.assertIdentical(src, dst);
    JsonNode plan = new ObjectMapper().readTree(report.toFile()).get("plan");
    assertThat(plan.get("formulation").asText()).isEqualTo("direct");
    assertThat(plan.get("edges")).singleElement().satisfies(e -> {
      assertThat(e.get("edge").asText()).isEqualTo(S + "->" + D);
      assertThat(e.get("chunks").asLong()).isEqualTo(6 + 1);
    });
    assertThat(plan.get("predictedGbps").asDouble()).isPositive();
  }
}
