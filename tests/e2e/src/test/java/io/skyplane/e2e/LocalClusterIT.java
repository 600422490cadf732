package io.skyplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.e2e.LocalCluster.TaskManagerInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real multi-process Flink cluster from {@code deploy/local}: a JobManager and TaskManagers in two
 * regions, started, used by {@code flink run}, broken and repaired through the scripts users run.
 */
@TestMethodOrder(OrderAnnotation.class)
class LocalClusterIT {
  @TempDir static Path tmp;
  static LocalCluster cluster;

  @BeforeAll
  static void up() throws Exception {
    Map<String, Integer> regions = new LinkedHashMap<>();
    regions.put("aws:us-east-1", 2);
    regions.put("gcp:europe-west4", 1);
    long start = System.nanoTime();
    cluster = LocalCluster.start(tmp.resolve("state"), regions, Map.of());
    System.out.printf("local-cluster up: %d ms%n", Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  @AfterAll
  static void down() throws Exception {
    if (cluster != null) {
      cluster.close();
      assertThat(LocalCluster.javaProcessesOf(cluster.state())).isEmpty();
      assertThat(cluster.state()).doesNotExist();
    }
  }

  @Test
  @Order(1)
  void restListsTheTaskManagersWithTheirRegions() throws Exception {
    List<TaskManagerInfo> tms = cluster.taskManagers();

    assertThat(tms).extracting(TaskManagerInfo::resourceId)
        .containsExactlyInAnyOrder("aws-us-east-1-tm0", "aws-us-east-1-tm1", "gcp-europe-west4-tm0");
    for (TaskManagerInfo tm : tms) {
      String slug = tm.resourceId().substring(0, tm.resourceId().lastIndexOf("-tm"));
      assertThat(tm.region()).as(tm.toString()).isEqualTo(slug);
      assertThat(tm.extendedResources()).as(tm.toString()).containsEntry("region-" + slug, 1000L);
      assertThat(tm.slots()).isEqualTo(4);
    }
  }

  @Test
  @Order(2)
  void flinkRunCopiesATreeOnTheCluster() throws Exception {
    Path src = Tree.build(tmp.resolve("src"));
    Path dst = tmp.resolve("dst");

    Proc proc = cluster.flinkRun(tmp, Map.of(),
        "cp", "-r", src.toString(), dst.toString(), "-p", "2", "--chunk-size", "2MiB", "-q");

    assertThat(proc.exitCode()).as(proc.toString()).isZero();
    assertThat(proc.out()).contains("Copied: 303/303 objects");
    assertThat(Tree.digests(dst)).isEqualTo(Tree.digests(src));
  }

  @Test
  @Order(3)
  void aKilledTaskManagerLeavesAndTheBootstrapBringsItBack() throws Exception {
    cluster.killTaskManager("aws:us-east-1", 1);
    Duration gone = cluster.awaitTaskManagers(2);
    System.out.printf("killed TaskManager gone from REST after %d ms%n", gone.toMillis());
    assertThat(gone).isLessThan(Duration.ofSeconds(20));
    assertThat(cluster.taskManagers()).extracting(TaskManagerInfo::resourceId)
        .containsExactlyInAnyOrder("aws-us-east-1-tm0", "gcp-europe-west4-tm0");

    cluster.startTaskManager("aws:us-east-1", 1);
    Duration back = cluster.awaitTaskManagers(3);
    System.out.printf("restarted TaskManager registered after %d ms%n", back.toMillis());
    assertThat(cluster.taskManagers()).extracting(TaskManagerInfo::resourceId)
        .contains("aws-us-east-1-tm1");
  }

  @Test
  void bootstrapWithoutRegionExitsTwoWithOneErrorLine() throws Exception {
    Proc proc = cluster.script("taskmanager-bootstrap", "--index", "0", "--jobmanager", "127.0.0.1",
        "--state", tmp.resolve("unused").toString());

    assertThat(proc.exitCode()).as(proc.toString()).isEqualTo(2);
    assertThat(proc.errLines()).as(proc.toString()).hasSize(1);
    assertThat(proc.err()).contains("--region");
    assertThat(tmp.resolve("unused")).doesNotExist();
  }

  @Test
  void theScriptsPassTheJvmFlagsOfThePom() throws Exception {
    String script = Files.readString(LocalCluster.BIN.resolve("taskmanager-bootstrap"));

    assertThat(script).contains("FLINK_JVM_OPENS=\"" + System.getProperty("flink.jvm.opens") + "\"");
  }
}
