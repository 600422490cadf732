package io.skyplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.job.testing.TestPlans;
import io.skyplane.planner.PlannerInputs;
import io.skyplane.planner.grid.GridLoader;
import io.skyplane.planner.grid.ThroughputGrid;
import io.skyplane.planner.io.CsvTable;
import io.skyplane.planner.region.RegionId;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skyplane profile} submitted by {@code flink run} to a real multi-process cluster from
 * {@code deploy/local}: one TaskManager in each of three regions. Every ordered pair is measured,
 * each sender and receiver ran on its region's TaskManager (so the bytes crossed TaskManagers), the
 * pairs ran one after another, and the grid is one the planner reads.
 */
class ProfileIT {
  private static final List<String> REGIONS = List.of(TestPlans.SOURCE, TestPlans.RELAY, TestPlans.DESTINATION);
  private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
  private static final Pattern LINK = Pattern.compile("^(send|receive) ([a-z]+:[a-z0-9-]+)->([a-z]+:[a-z0-9-]+) @([a-z]+:[a-z0-9-]+)");

  @TempDir static Path tmp;
  static LocalCluster cluster;

  @BeforeAll
  static void up() throws Exception {
    Map<String, Integer> regions = new LinkedHashMap<>();
    REGIONS.forEach(r -> regions.put(r, 1));
    cluster = LocalCluster.start(tmp.resolve("state"), regions, Map.of());
  }

  @AfterAll
  static void down() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void measuresEveryOrderedPairOfTheClustersRegionsAcrossTaskManagers() throws Exception {
    Path grid = tmp.resolve("grid.csv");
    Path report = tmp.resolve("profile.json");

    Proc run = cluster.flinkRun(tmp, Map.of(), "profile", "--duration", "1s", "--warm-up", "300ms", "--streams", "2",
        "--output", grid.toString(), "--json", report.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    System.out.println(run);
    assertThat(run.err()).doesNotContain("embedded");

    // regions default to the cluster's; 3 x 2 ordered pairs, each with a rate and an RTT
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("embedded").asBoolean()).isFalse();
    assertThat(json.get("regions")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(REGIONS);
    assertThat(json.get("pairs")).hasSize(6);
    for (JsonNode pair : json.get("pairs")) {
      assertThat(pair.get("gbps").asDouble()).as(pair.toString()).isPositive();
      assertThat(pair.get("rttMs").asDouble()).as(pair.toString()).isNotNegative();
      assertThat(pair.get("rttSamples").asInt()).as(pair.toString()).isEqualTo(2 * 5);
      assertThat(pair.get("flowControlGbps").asDouble()).as(pair.toString()).isPositive();
    }
    ThroughputGrid loaded = GridLoader.load(CsvTable.read(grid), PlannerInputs.defaults().catalog());
    for (String src : REGIONS) {
      for (String dst : REGIONS) {
        if (!src.equals(dst)) {
          assertThat(loaded.gbps(RegionId.parse(src), RegionId.parse(dst))).as(src + " -> " + dst).isPresent();
        }
      }
    }
    assertThat(loaded.gbps()).hasSize(6);

    // every sender ran on its source region's TaskManager, every receiver on its destination's
    String jobId = jobId(run);
    Map<String, Long> ends = new HashMap<>();
    int links = 0;
    for (JsonNode vertex : cluster.rest("/jobs/" + jobId).path("vertices")) {
      String name = vertex.path("name").asText();
      Matcher link = LINK.matcher(name);
      if (!link.lookingAt()) { // the last receiver is chained with the end sink
        continue;
      }
      links++;
      String region = link.group(4);
      assertThat(region).isEqualTo(link.group(1).equals("send") ? link.group(2) : link.group(3));
      JsonNode tms = cluster.rest("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers");
      assertThat(tms.path("taskmanagers")).as(name).isNotEmpty();
      for (JsonNode tm : tms.path("taskmanagers")) {
        assertThat(tm.path("taskmanager-id").asText()).as(name).startsWith(LocalCluster.slug(region) + "-tm");
      }
      ends.put(link.group(1) + " " + link.group(2) + "->" + link.group(3), vertex.path("end-time").asLong());
    }
    assertThat(links).isEqualTo(12);

    // one pair after another: each sender ran its warm-up and window after the receivers before it finished
    List<JsonNode> pairs = new java.util.ArrayList<>();
    json.get("pairs").forEach(pairs::add);
    for (int i = 1; i < pairs.size(); i++) {
      String before = name(pairs.get(i - 1));
      String next = name(pairs.get(i));
      assertThat(ends.get("send " + next) - ends.get("receive " + before)).as(before + " then " + next)
          .isGreaterThanOrEqualTo(1300);
    }
  }

  @Test
  void aRegionWithoutTaskManagersFailsBeforeSubmittingNamingIt() throws Exception {
    long start = System.nanoTime();
    Proc run = cluster.flinkRun(tmp, Map.of(), "profile", "--regions", TestPlans.SOURCE + ",azure:westeurope");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("skyplane profile: error: no TaskManager in region azure:westeurope");
    assertThat(run.out() + run.err()).doesNotContain("JobID");
    assertThat(seconds).as("fails before submitting").isLessThan(60);
  }

  private static String name(JsonNode pair) {
    return pair.get("source").asText() + "->" + pair.get("destination").asText();
  }

  private static String jobId(Proc run) {
    Matcher id = JOB_ID.matcher(run.out() + run.err());
    assertThat(id.find()).as(run.toString()).isTrue();
    return id.group(1);
  }
}
