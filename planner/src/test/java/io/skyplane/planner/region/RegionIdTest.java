package io.skyplane.planner.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.skyplane.planner.PlannerInputs;
import org.junit.jupiter.api.Test;

class RegionIdTest {

  @Test
  void parsesAndNormalisesGcpZones() {
    assertThat(RegionId.parse("aws:us-east-1")).isEqualTo(new RegionId(Cloud.AWS, "us-east-1"));
    assertThat(RegionId.parse("gcp:us-central1-a")).isEqualTo(RegionId.parse("gcp:us-central1"));
    assertThat(RegionId.parse("gcp:europe-west1-b").toString()).isEqualTo("gcp:europe-west1");
    assertThat(RegionId.parse("AZURE:WestEurope").toString()).isEqualTo("azure:westeurope");
    // AWS region names end in a digit, so nothing is dropped
    assertThat(RegionId.parse("aws:ap-south-1").name()).isEqualTo("ap-south-1");
  }

  @Test
  void rejectsNonRegions() {
    assertThatThrownBy(() -> RegionId.parse("us-east-1")).hasMessageContaining("is not a region id");
    assertThatThrownBy(() -> RegionId.parse("s3://bucket")).hasMessageContaining("is not a region id");
    assertThatThrownBy(() -> RegionId.parse("ibm:us-south")).hasMessageContaining("unknown cloud 'ibm'");
    assertThatThrownBy(() -> RegionId.parse("aws:us east")).hasMessageContaining("bad region name");
  }

  @Test
  void catalogHasLocationsAndDistances() {
    RegionCatalog catalog = PlannerInputs.defaults().catalog();
    assertThat(catalog.all()).hasSizeGreaterThanOrEqualTo(71);
    Region virginia = catalog.get(RegionId.parse("aws:us-east-1"));
    Region frankfurt = catalog.get(RegionId.parse("aws:eu-central-1"));
    assertThat(virginia.distanceKm(frankfurt)).isCloseTo(6_500, within(300.0));
    assertThat(virginia.continent()).isEqualTo(Continent.NORTH_AMERICA);
  }
}
