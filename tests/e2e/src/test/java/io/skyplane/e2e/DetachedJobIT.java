package io.skyplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code flink run} client of a copy is killed with SIGKILL while its job runs on a
 * multi-process cluster ({@code deploy/local}): the job does not depend on its client (it reports
 * through its own operator coordinator), so it runs to FINISHED, every file arrives byte-identical,
 * and the job itself removes the run's area: nothing of the run is left.
 */
class DetachedJobIT {
  private static final int FILES = 25_000;
  /** How long the job may take to finish after its client was killed. */
  private static final Duration FINISH_WITHIN = Duration.ofMinutes(4);

  @TempDir static Path tmp;
  static LocalCluster cluster;

  @BeforeAll
  static void up() throws Exception {
    cluster = LocalCluster.start(tmp.resolve("state"), Map.of("aws:us-east-1", 1), Map.of());
  }

  @AfterAll
  static void down() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aJobWhoseClientWasKilledRunsToTheEndAndLeavesNothing() throws Exception {
    Path src = tmp.resolve("src");
    Tree.smallFiles(src, FILES, 25);
    Path dst = tmp.resolve("dst");
    Path logs = Proc.ROOT.resolve("tests/e2e/target/e2e-logs/DetachedJobIT");
    long start = System.nanoTime();
    Proc.Started client = cluster.startFlinkRun(tmp, Map.of(), logs, "flink-run",
        "cp", "-r", src.toString(), dst.toString(), "-p", "2", "-q");

    String job = awaitRunningWithProgress(client, dst);
    long before = Tree.countFiles(dst);
    client.signal("KILL");
    Proc killed = client.await(Duration.ofSeconds(30));
    long killedAt = System.nanoTime();
    String state = awaitTerminal(job);
    long finishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    System.out.printf("client killed %d ms after start with %d of %d files there; job %s %d ms later%n",
        TimeUnit.NANOSECONDS.toMillis(killedAt - start), before, FILES, state, finishMillis);

    assertThat(killed.exitCode()).as(killed.toString()).isEqualTo(128 + 9);
    assertThat(before).as("killed mid-copy").isLessThan(FILES);
    assertThat(state).as(cluster.rest("/jobs/" + job).toString()).isEqualTo("FINISHED");
    assertThat(dst.resolve(Residue.AREA)).as("the run's area").doesNotExist();
    assertThat(Tree.digests(dst)).isEqualTo(Tree.digests(src));
  }

  /** Waits until the cluster's one job is RUNNING and files arrive at {@code dst}; the job id. */
  private static String awaitRunningWithProgress(Proc.Started client, Path dst) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      assertThat(client.alive()).as("the client still runs%n%s", client.output()).isTrue();
      for (JsonNode job : cluster.rest("/jobs/overview").path("jobs")) {
        if (job.path("state").asText().equals("RUNNING") && Tree.countFiles(dst) >= 100) {
          return job.path("jid").asText();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no job running with progress\n" + client.output());
  }

  /** Polls {@code /jobs/overview} until the job is in a terminal state ({@link #FINISH_WITHIN} at most); the state. */
  private static String awaitTerminal(String job) throws Exception {
    long deadline = System.nanoTime() + FINISH_WITHIN.toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      for (JsonNode overview : cluster.rest("/jobs/overview").path("jobs")) {
        if (overview.path("jid").asText().equals(job)) {
          state = overview.path("state").asText();
        }
      }
      if (state.equals("FINISHED") || state.equals("FAILED") || state.equals("CANCELED")) {
        return state;
      }
      Thread.sleep(250);
    }
    return state;
  }
}
