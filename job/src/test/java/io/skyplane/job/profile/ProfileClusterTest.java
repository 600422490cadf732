package io.skyplane.job.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.job.plan.ClusterRegions.TaskManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which regions a profile runs on, checked against a cluster's TaskManagers before anything is submitted. */
class ProfileClusterTest {
  private static final String CLUSTER = "http://jm:8081";
  private static final List<TaskManager> TMS = List.of(
      tm("aws-us-east-1-tm0", "region-aws-us-east-1", 4.0, 256),
      tm("gcp-europe-west4-tm0", "region-gcp-europe-west4", 1.0, 256),
      tm("gcp-europe-west4-tm1", "region-gcp-europe-west4", 1.0, 256),
      tm("lab-tm0", "region-lab", 4.0, 256));

  @Test
  void defaultsToEveryRegionTheTaskManagersAdvertiseAndWarnsAboutNamesThatAreNoRegion() {
    List<String> warnings = new ArrayList<>();

    List<String> regions = ProfileCluster.resolve(TMS, null, 4, CLUSTER, warnings::add);

    assertThat(regions).containsExactly("aws:us-east-1", "gcp:europe-west4");
    assertThat(warnings).singleElement().asString().contains("region-lab").contains("lab-tm0");
  }

  @Test
  void aNamedRegionWithoutTaskManagersIsNamedInTheError() {
    assertThatThrownBy(() -> ProfileCluster.resolve(TMS, List.of("aws:us-east-1", "azure:westeurope"), 1, CLUSTER,
        w -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no TaskManager in region azure:westeurope")
        .hasMessageContaining(CLUSTER)
        .hasMessageContaining("aws:us-east-1, gcp:europe-west4");
  }

  @Test
  void fewerThanTwoRegionsIsAnError() {
    assertThatThrownBy(() -> ProfileCluster.resolve(TMS.subList(0, 1), null, 1, CLUSTER, w -> { }))
        .hasMessageContaining("at least 2 regions, got 1 (aws:us-east-1)");
    assertThatThrownBy(() -> ProfileCluster.resolve(TMS, List.of("gcp:europe-west4"), 1, CLUSTER, w -> { }))
        .hasMessageContaining("at least 2 regions, got 1");
  }

  @Test
  void aRegionWithoutRoomForTheStreamsIsAnError() {
    // two TaskManagers with one free core each: 2 x 2 half-core slots
    assertThat(ProfileCluster.resolve(TMS, List.of("aws:us-east-1", "gcp:europe-west4"), 4, CLUSTER, w -> { }))
        .hasSize(2);
    assertThatThrownBy(() -> ProfileCluster.resolve(TMS, List.of("aws:us-east-1", "gcp:europe-west4"), 5, CLUSTER,
        w -> { }))
        .hasMessageContaining("gcp:europe-west4 have room for 4 profile subtasks")
        .hasMessageContaining("--streams 5");
  }

  private static TaskManager tm(String id, String resource, double freeCpu, long freeHeapMb) {
    return new TaskManager(id, "10.0.0.1", 40000, List.of(resource), freeCpu, freeHeapMb);
  }
}
