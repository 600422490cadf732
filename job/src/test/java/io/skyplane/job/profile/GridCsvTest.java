package io.skyplane.job.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.skyplane.planner.PlannerInputs;
import io.skyplane.planner.grid.GridLoader;
import io.skyplane.planner.grid.ThroughputGrid;
import io.skyplane.planner.io.CsvTable;
import io.skyplane.planner.region.RegionId;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridCsvTest {
  private static final String A = "aws:us-east-1";
  private static final String B = "gcp:europe-west4";
  private static final String C = "azure:westeurope";

  @Test
  void writesAGridThePlannerReadsWithRttAndExtraColumns() {
    String csv = write(report(false,
        pair(A, B, 0.153, 80.25, List.of()),
        pair(B, A, 0.149, null, List.of("RTT: connect to 10.0.0.1:1: timed out")),
        pair(A, C, 0.0, 12.0, List.of("no bytes arrived in the steady window"))));

    CsvTable table = CsvTable.read("grid.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
    assertThat(table.header()).containsExactlyElementsOf(GridCsv.HEADER);
    assertThat(table.header().subList(0, 4)).containsExactly("src", "dst", "gbps", "rtt_ms");
    ThroughputGrid grid = GridLoader.load(table, PlannerInputs.defaults().catalog());
    assertThat(grid.gbps(RegionId.parse(A), RegionId.parse(B)).orElseThrow()).isCloseTo(0.153, within(1e-9));
    assertThat(grid.gbps(RegionId.parse(B), RegionId.parse(A)).orElseThrow()).isCloseTo(0.149, within(1e-9));
    // an unmeasured pair is left out (no usable link) and named in a comment
    assertThat(grid.gbps(RegionId.parse(A), RegionId.parse(C))).isEmpty();
    assertThat(csv).contains("# not measured: " + A + " -> " + C + " (no bytes arrived in the steady window)");
    assertThat(table.rows().get(0).number("rtt_ms")).isEqualTo(80.25);
    assertThat(table.rows().get(1).get("rtt_ms")).isEmpty();
    assertThat(table.rows().get(0).get("streams")).isEqualTo("4");
    assertThat(table.rows().get(0).number("flow_control_gbps")).isEqualTo(0.21);
    assertThat(csv).doesNotContain("EMBEDDED");
  }

  @Test
  void anEmbeddedProfileSaysItIsNoNetworkMeasurement() {
    String csv = write(report(true, pair(A, B, 9.5, 0.1, List.of())));

    assertThat(csv.lines().filter(l -> l.startsWith("#"))).anyMatch(l -> l.contains("EMBEDDED"));
    assertThat(csv.lines().filter(l -> !l.startsWith("#"))).containsExactly(String.join(",", GridCsv.HEADER),
        A + "," + B + ",9.500000,0.100,1000,5.000,5,4,0.210000");
  }

  private static String write(ProfileReport report) {
    StringWriter text = new StringWriter();
    GridCsv.write(report, new PrintWriter(text));
    return text.toString();
  }

  private static PairResult pair(String src, String dst, double gbps, Double rttMs, List<String> notes) {
    return new PairResult(src, dst, gbps, rttMs, 1000, 5.0, 1.0, 5, 4, 0.21, notes);
  }

  private static ProfileReport report(boolean embedded, PairResult... pairs) {
    return new ProfileReport("succeeded", embedded ? "embedded" : "http://jm:8081", embedded, List.of(A, B, C),
        new ProfileReport.Settings(4, 1.0, 5.0, 5, 32768), List.of(pairs), 30.0, "");
  }
}
