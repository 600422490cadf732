package io.skyplane.planner.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.skyplane.planner.PlannerInputs;
import io.skyplane.planner.io.CsvTable;
import io.skyplane.planner.io.InputFileException;
import io.skyplane.planner.region.RegionCatalog;
import io.skyplane.planner.region.RegionId;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GridLoaderTest {

  private static final RegionCatalog CATALOG = PlannerInputs.defaults().catalog();
  private static final String SKYPLANE_HEADER =
      "src_region,src_tier,src_instance_class,dst_region,dst_tier,dst_instance_class,iperf3_connections,"
          + "iperf3_runtime,tag,stdout_path,stderr_path,throughput_sent,throughput_recieved,cpu_utilization,success\n";

  static CsvTable csv(String text) {
    return CsvTable.read("grid.csv", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String skyplaneRow(String src, String srcTier, String dst, String dstTier, String bps) {
    return src + "," + srcTier + ",x," + dst + "," + dstTier + ",y,64,5,t,o,e," + bps + "," + bps + ",5,True\n";
  }

  @Test
  void readsSkyplaneGridAsIs() {
    String text = SKYPLANE_HEADER
        + skyplaneRow("gcp:us-central1-a", "PREMIUM", "aws:us-east-1", "PREMIUM", "6500000000.5")
        + skyplaneRow("gcp:us-central1-b", "PREMIUM", "aws:us-east-1", "PREMIUM", "1000000000")
        + skyplaneRow("gcp:us-central1-a", "STANDARD", "aws:us-west-2", "PREMIUM", "3000000000")
        + skyplaneRow("aws:us-east-1", "PREMIUM", "gcp:europe-west1-b", "PREMIUM", "4000000000");
    ThroughputGrid grid = GridLoader.load(csv(text), CATALOG);
    RegionId central = RegionId.parse("gcp:us-central1");
    // bits per second -> Gbps; zone suffix dropped; the duplicate (other zone) row loses to the first
    assertThat(grid.gbps(central, RegionId.parse("aws:us-east-1")).orElseThrow()).isCloseTo(6.5, within(1e-9));
    assertThat(grid.gbps(RegionId.parse("aws:us-east-1"), RegionId.parse("gcp:europe-west1")).orElseThrow())
        .isCloseTo(4.0, within(1e-9));
    // STANDARD-tier rows are not used
    assertThat(grid.gbps(central, RegionId.parse("aws:us-west-2"))).isEmpty();
    assertThat(grid.gbps()).hasSize(2);
  }

  @Test
  void readsOurFormatWithComments() {
    ThroughputGrid grid = GridLoader.load(csv("# measured 2026\nsrc,dst,gbps\naws:us-east-1,azure:westeurope,3.5\n"), CATALOG);
    assertThat(grid.gbps(RegionId.parse("aws:us-east-1"), RegionId.parse("azure:westeurope"))).hasValue(3.5);
  }

  @Test
  void errorsNameFileAndLine() {
    assertThatThrownBy(() -> GridLoader.load(csv("src,dst,gbps\naws:us-east-1,aws:us-west-2,1\naws:us-east-1,aws:moon-1,2\n"), CATALOG))
        .isInstanceOf(InputFileException.class)
        .hasMessage("grid.csv:3: unknown region 'aws:moon-1' (not in the region catalog)");
    assertThatThrownBy(() -> GridLoader.load(csv("src,dst,gbps\naws:us-east-1,aws:us-west-2,-1\n"), CATALOG))
        .hasMessageStartingWith("grid.csv:2: negative throughput");
    assertThatThrownBy(() -> GridLoader.load(csv("src,dst,gbps\naws:us-east-1,aws:us-west-2,1\naws:us-east-1,aws:us-west-2,2\n"), CATALOG))
        .hasMessage("grid.csv:3: duplicate pair aws:us-east-1->aws:us-west-2");
    assertThatThrownBy(() -> GridLoader.load(csv("src,dst,gbps\nfoo,aws:us-west-2,1\n"), CATALOG))
        .hasMessageStartingWith("grid.csv:2: 'foo' is not a region id");
    assertThatThrownBy(() -> GridLoader.load(csv("from,to,rate\n"), CATALOG))
        .hasMessageStartingWith("grid.csv:1: missing column 'src'");
    assertThatThrownBy(() -> GridLoader.load(csv(SKYPLANE_HEADER
        + skyplaneRow("aws:us-east-1", "PREMIUM", "aws:us-west-2", "PREMIUM", "fast")), CATALOG))
        .hasMessage("grid.csv:2: column 'throughput_sent' is not a number: 'fast'");
  }

  @Test
  void shippedGridIsTheEstimatorsOutputForEveryPair() {
    PlannerInputs defaults = PlannerInputs.defaults();
    int n = defaults.catalog().all().size();
    assertThat(defaults.grid().gbps()).hasSize(n * (n - 1));
    ThroughputGrid fresh = GridEstimator.DEFAULT.estimate(defaults.catalog(), defaults.prices().vmTypes());
    fresh.gbps().forEach((pair, gbps) ->
        assertThat(defaults.grid().gbps().get(pair)).as(pair.toString()).isCloseTo(gbps, within(0.0051)));
  }

  @Test
  void estimateSlowsWithDistanceAndRespectsCaps() {
    var catalog = PlannerInputs.defaults().catalog();
    var near = GridEstimator.DEFAULT.rttMs(catalog.get(RegionId.parse("aws:us-east-1")), catalog.get(RegionId.parse("aws:us-east-2")));
    var far = GridEstimator.DEFAULT.rttMs(catalog.get(RegionId.parse("aws:us-east-1")), catalog.get(RegionId.parse("aws:ap-southeast-2")));
    assertThat(near).isLessThan(far);
    assertThat(GridEstimator.DEFAULT.tcpGbps(near)).isGreaterThan(GridEstimator.DEFAULT.tcpGbps(far));
    var grid = PlannerInputs.defaults().grid();
    assertThat(grid.gbps(RegionId.parse("aws:us-east-1"), RegionId.parse("aws:us-east-2"))).hasValue(5.0);
    assertThat(grid.gbps(RegionId.parse("azure:westeurope"), RegionId.parse("azure:northeurope"))).hasValue(16.0);
  }
}
