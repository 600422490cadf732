package io.skyplane.job.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterRegionsTest {
  @Test
  void readsATaskManagerOfTheRestApi() throws Exception {
    String json = """
        {"id": "aws-us-east-1-tm0", "path": "pekko.tcp://flink@10.0.0.5:42239/user/rpc/taskmanager_0",
         "dataPort": 43959, "slotsNumber": 4,
         "totalResource": {"cpuCores": 4.0, "taskHeapMemory": 256, "extendedResources": {"region-aws-us-east-1": 1000.0,
           "gpu": 1.0}},
         "freeResource": {"cpuCores": 2.5, "taskHeapMemory": 160, "extendedResources": {"region-aws-us-east-1": 997.0}}}
        """;

    ClusterRegions.TaskManager tm = ClusterRegions.taskManager(new ObjectMapper().readTree(json));

    assertThat(tm.id()).isEqualTo("aws-us-east-1-tm0");
    assertThat(tm.host()).isEqualTo("10.0.0.5");
    assertThat(tm.dataPort()).isEqualTo(43959);
    assertThat(tm.resources()).containsExactly("region-aws-us-east-1");
    assertThat(tm.slotsFree(0.5, 32)).isEqualTo(5); // 2.5 cores; 160 MiB would fit 5 too
    assertThat(tm.slotsFree(0.5, 64)).isEqualTo(2);
    assertThat(ClusterRegions.byResource(List.of(tm))).isEqualTo(Map.of("region-aws-us-east-1", List.of("aws-us-east-1-tm0")));
  }

  @Test
  void takesTheHostFromAnRpcPath() {
    assertThat(ClusterRegions.host("pekko.ssl.tcp://flink@tm-1.example.org:6122/user/rpc/taskmanager_0"))
        .isEqualTo("tm-1.example.org");
    assertThat(ClusterRegions.host("pekko.tcp://flink@[fd00::5]:6122/user/rpc/taskmanager_0")).isEqualTo("fd00::5");
    assertThat(ClusterRegions.host("")).isEmpty();
  }

  @Test
  void aRegionResourceNamesItsRegionBack() {
    for (String region : List.of("aws:us-east-1", "gcp:europe-west4", "azure:westeurope", "aws:ap-southeast-2")) {
      assertThat(Route.regionOfResource(Route.resourceName(region))).contains(region);
    }
    assertThat(Route.regionOfResource("region-lab")).isEmpty();
    assertThat(Route.regionOfResource("region-mars-base-1")).isEmpty();
    assertThat(Route.regionOfResource("gpu")).isEmpty();
  }
}
