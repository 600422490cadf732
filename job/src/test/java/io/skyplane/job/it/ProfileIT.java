package io.skyplane.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.job.testing.Cli;
import io.skyplane.job.testing.TestPlans;
import io.skyplane.planner.PlannerInputs;
import io.skyplane.planner.grid.GridLoader;
import io.skyplane.planner.grid.ThroughputGrid;
import io.skyplane.planner.io.CsvTable;
import io.skyplane.planner.region.RegionId;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skyplane profile} on the embedded cluster (the command starts its own, one TaskManager
 * standing for every region): every ordered pair is measured and the grid it writes is one the
 * planner reads.
 */
class ProfileIT {
  private static final String A = TestPlans.SOURCE;
  private static final String B = TestPlans.DESTINATION;

  @TempDir Path tmp;

  @Test
  void measuresEveryOrderedPairAndWritesAGridThePlannerReads() throws Exception {
    Path grid = tmp.resolve("grid.csv");
    Path report = tmp.resolve("profile.json");

    Cli cli = Cli.run("profile", "--regions", A + "," + B, "--duration", "1s", "--warm-up", "300ms", "--streams", "2",
        "--output", grid.toString(), "--json", report.toString());

    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    System.out.println(cli);
    assertThat(cli.err()).contains("warning: embedded cluster").contains("not a network measurement");
    assertThat(cli.out()).contains(A + " -> " + B).contains(B + " -> " + A).contains("GBPS");

    ThroughputGrid loaded = GridLoader.load(CsvTable.read(grid), PlannerInputs.defaults().catalog());
    assertThat(loaded.gbps(RegionId.parse(A), RegionId.parse(B)).orElseThrow()).isPositive();
    assertThat(loaded.gbps(RegionId.parse(B), RegionId.parse(A)).orElseThrow()).isPositive();
    assertThat(loaded.gbps()).hasSize(2);
    CsvTable table = CsvTable.read(grid);
    assertThat(table.header()).startsWith("src", "dst", "gbps", "rtt_ms");
    for (CsvTable.Row row : table.rows()) {
      assertThat(row.number("rtt_ms")).isNotNegative();
      assertThat(row.number("seconds")).isEqualTo(1.0);
      assertThat(row.number("rtt_samples")).isEqualTo(2 * 5); // two senders, five connects each
    }

    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("status").asText()).isEqualTo("succeeded");
    assertThat(json.get("embedded").asBoolean()).isTrue();
    assertThat(json.get("pairs")).hasSize(2);
    for (JsonNode pair : json.get("pairs")) {
      assertThat(pair.get("gbps").asDouble()).isPositive();
      assertThat(pair.get("rttMs").asDouble()).isNotNegative();
      assertThat(pair.get("receivers").asInt()).isEqualTo(2);
      assertThat(pair.get("notes")).isEmpty();
    }
  }

  @Test
  void badInputIsOneLineAndExitCode2BeforeAnyJob() {
    Cli oneRegion = Cli.run("profile", "--regions", A);
    Cli noRegions = Cli.run("profile");
    Cli notARegion = Cli.run("profile", "--regions", A + ",mars");
    Cli twice = Cli.run("profile", "--regions", A + "," + B + "," + A);
    Cli noStreams = Cli.run("profile", "--regions", A + "," + B, "--streams", "0");
    Cli badDuration = Cli.run("profile", "--regions", A + "," + B, "--duration", "soon");
    Cli noDirectory = Cli.run("profile", "--regions", A + "," + B, "--output", tmp.resolve("nope/grid.csv").toString());

    for (Cli cli : List.of(oneRegion, noRegions, notARegion, twice, noStreams, badDuration, noDirectory)) {
      assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
      assertThat(cli.errLines()).as(cli.toString()).hasSize(1);
      assertThat(cli.err()).as(cli.toString()).startsWith("skyplane profile: error: ");
    }
    assertThat(oneRegion.err()).contains("at least 2 regions, got 1 (" + A + ")");
    assertThat(noRegions.err()).contains("--regions");
    assertThat(notARegion.err()).contains("'mars'");
    assertThat(twice.err()).contains(A + " twice");
    assertThat(noStreams.err()).contains("--streams");
    assertThat(badDuration.err()).contains("--duration").contains("'soon'");
    assertThat(noDirectory.err()).contains("nope");
  }
}
