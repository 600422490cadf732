package io.skyplane.planner.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.planner.PlannerInputs;
import io.skyplane.planner.io.CsvTable;
import io.skyplane.planner.region.Cloud;
import io.skyplane.planner.region.Region;
import io.skyplane.planner.region.RegionId;
import io.skyplane.planner.region.RegionPair;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PriceBookTest {

  private static final PlannerInputs DEFAULTS = PlannerInputs.defaults();

  private static Region region(String id) {
    return DEFAULTS.catalog().get(RegionId.parse(id));
  }

  private static double price(String src, String dst, NetworkTier tier) {
    return DEFAULTS.prices().egressUsdPerGb(region(src), region(dst), tier);
  }

  static CsvTable csv(String text) {
    return CsvTable.read("prices.csv", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void everyRegionPairHasAPriceAndEveryCloudAVm() {
    for (Region a : DEFAULTS.catalog().all()) {
      for (Region b : DEFAULTS.catalog().all()) {
        if (!a.equals(b)) {
          for (NetworkTier tier : NetworkTier.values()) {
            assertThat(DEFAULTS.prices().egressUsdPerGb(a, b, tier)).isBetween(0.0, 0.3);
          }
        }
      }
    }
    for (Cloud cloud : Cloud.values()) {
      assertThat(DEFAULTS.prices().vmType(cloud).usdPerHour()).isPositive();
    }
    assertThat(DEFAULTS.prices().vmType(Cloud.AWS).egressGbps()).isEqualTo(5);
    assertThat(DEFAULTS.prices().vmType(Cloud.GCP).ingressGbps()).isEqualTo(16);
    assertThat(DEFAULTS.prices().vmType(Cloud.AZURE).egressGbps()).isEqualTo(16);
  }

  @Test
  void rulesPickTheMostSpecificMatch() {
    assertThat(price("aws:us-east-1", "aws:eu-west-1", NetworkTier.PREMIUM)).isEqualTo(0.02);
    assertThat(price("aws:us-east-1", "gcp:us-east4", NetworkTier.PREMIUM)).isEqualTo(0.09);
    assertThat(price("gcp:us-east4", "gcp:us-central1", NetworkTier.PREMIUM)).isEqualTo(0.02);
    assertThat(price("gcp:asia-east1", "gcp:asia-northeast1", NetworkTier.PREMIUM)).isEqualTo(0.05);
    assertThat(price("gcp:us-east4", "gcp:europe-west4", NetworkTier.PREMIUM)).isEqualTo(0.05);
    assertThat(price("gcp:us-east4", "aws:ap-southeast-2", NetworkTier.PREMIUM)).isEqualTo(0.19);
    assertThat(price("gcp:us-east4", "aws:us-east-1", NetworkTier.PREMIUM)).isEqualTo(0.12);
    assertThat(price("gcp:us-east4", "aws:us-east-1", NetworkTier.STANDARD)).isEqualTo(0.085);
    assertThat(price("azure:brazilsouth", "aws:us-east-1", NetworkTier.PREMIUM)).isEqualTo(0.181);
  }

  @Test
  void pairPricesOverrideRulesInBothFormats() {
    var catalog = DEFAULTS.catalog();
    var skyplane = PriceBookLoader.loadPairPrices(
        csv("src,dest,cost\naws:us-east-1,gcp:us-central1-a,0.5\naws:us-east-1,gcp:us-central1-b,0.7\n"), catalog);
    assertThat(skyplane).containsExactlyEntriesOf(java.util.Map.of(
        new RegionPair(RegionId.parse("aws:us-east-1"), RegionId.parse("gcp:us-central1")), 0.5));
    var ours = PriceBookLoader.loadPairPrices(csv("src,dst,usd_per_gb\naws:us-east-1,aws:us-east-2,0.01\n"), catalog);
    var book = DEFAULTS.prices().withPairPrices(skyplane).withPairPrices(ours);
    assertThat(book.egressUsdPerGb(region("aws:us-east-1"), region("aws:us-east-2"), NetworkTier.PREMIUM)).isEqualTo(0.01);
    assertThat(book.egressUsdPerGb(region("aws:us-east-1"), region("gcp:us-central1"), NetworkTier.PREMIUM)).isEqualTo(0.5);
  }

  @Test
  void malformedRowsNameFileAndLine() {
    assertThatThrownBy(() -> PriceBookLoader.loadEgressRules(
        csv("src_cloud,src_continent,dst,dst_continent,tier,usd_per_gb\naws,*,same-cloud,*,*,0.02\naws,atlantis,same-cloud,*,*,0.02\n")))
        .hasMessage("prices.csv:3: unknown continent 'atlantis'");
    assertThatThrownBy(() -> PriceBookLoader.loadEgressRules(
        csv("src_cloud,src_continent,dst,dst_continent,tier,usd_per_gb\naws,*,elsewhere,*,*,0.02\n")))
        .hasMessage("prices.csv:2: dst must be same-cloud or other-cloud, not 'elsewhere'");
    assertThatThrownBy(() -> PriceBookLoader.loadVmTypes(
        csv("cloud,instance_type,usd_per_hour,egress_gbps,ingress_gbps\nibm,x,1,1,1\n")))
        .hasMessage("prices.csv:2: unknown cloud 'ibm' (expected aws, gcp or azure)");
    assertThatThrownBy(() -> PriceBookLoader.loadVmTypes(
        csv("cloud,instance_type,usd_per_hour,egress_gbps,ingress_gbps\naws,x,1,0,1\n")))
        .hasMessageStartingWith("prices.csv:2: bad VM type x");
    assertThatThrownBy(() -> PriceBookLoader.loadPairPrices(csv("src,dst,usd_per_gb\naws:us-east-1,aws:us-east-2\n"), DEFAULTS.catalog()))
        .hasMessage("prices.csv:2: missing column 'usd_per_gb'");
  }
}
