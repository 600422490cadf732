package io.skyplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.job.testing.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes of a multi-process cluster ({@code deploy/local}, two TaskManagers) killed with SIGKILL
 * while {@code flink run} copies files: a TaskManager (the job restarts on the other one, every
 * object arrives once and byte-identical, the report counts each byte once, nothing is left), then
 * the JobManager (the client exits 3; the report's committed objects are those at the destination,
 * counted here; {@code skyplane clean} removes what is left once the run is dead).
 */
@TestMethodOrder(OrderAnnotation.class)
class ClusterFaultsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MIB = 1L << 20;
  /** A progress line: "12.0 MiB / 320.0 MiB, 3/40 objects, ...". */
  private static final Pattern PROGRESS =
      Pattern.compile("([0-9.]+) ([KMGTP]?i?B) / ([0-9.]+) ([KMGTP]?i?B), (\\d+)/(\\d+) objects.*");

  @TempDir static Path tmp;
  static LocalCluster cluster;
  static Path logs = Proc.ROOT.resolve("tests/e2e/target/e2e-logs/ClusterFaultsIT");

  @BeforeAll
  static void up() throws Exception {
    long start = System.nanoTime();
    cluster = LocalCluster.start(tmp.resolve("state"), Map.of("aws:us-east-1", 2), Map.of());
    System.out.printf("local-cluster up: %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  @AfterAll
  static void down() throws Exception {
    if (cluster != null) {
      long start = System.nanoTime();
      cluster.close();
      System.out.printf("local-cluster down: %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
  }

  /** {@code count} random files of {@code mib} MiB (plus a few bytes each) under {@code tmp/name}. */
  private static Path files(String name, int count, int mib) throws Exception {
    Path root = tmp.resolve(name);
    for (int i = 0; i < count; i++) {
      Trees.random(root.resolve("f" + i + ".bin"), mib * MIB + i, 1000 + i);
    }
    return root;
  }

  /** Waits until the cluster runs a job and at least {@code files} files arrived at {@code dst}; the job id. */
  private static String awaitRunning(Proc.Started client, Path dst, int files) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      assertThat(client.alive()).as("the client still runs%n%s", client.output()).isTrue();
      for (JsonNode job : cluster.rest("/jobs/overview").path("jobs")) {
        if (job.path("state").asText().equals("RUNNING") && Tree.countFiles(dst) >= files) {
          return job.path("jid").asText();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no job running with " + files + " files at " + dst + "\n" + client.output());
  }

  @Test
  @Order(1)
  void aKilledTaskManagerRestartsTheJobAndEveryObjectArrivesOnce() throws Exception {
    Path src = files("tm-src", 40, 8);
    long total = Residue.sizes(src).values().stream().mapToLong(Long::longValue).sum();
    Path dst = tmp.resolve("tm-dst");
    Path report = tmp.resolve("tm.json");
    // progress lines on (every 10 s, the client's stderr is not a terminal)
    Proc.Started client = cluster.startFlinkRun(tmp, Map.of(), logs, "tm-kill", "cp", "-r", src.toString(),
        dst.toString(), "-p", "2", "--chunk-size", "2MiB", "--compression", "none", "--json", report.toString());
    String job = awaitRunning(client, dst, 2);
    List<String> running = cluster.taskManagersOf(job);
    String victim = running.get(running.size() - 1);

    long arrived = Tree.countFiles(dst);
    cluster.killTaskManager(victim);
    long killed = System.nanoTime();
    Proc run = client.await(Duration.ofMinutes(5));
    System.out.printf("TaskManager %s (of %s) killed with %d of 40 files there; client exit %d %d ms later%n%s%n",
        victim, running, arrived, run.exitCode(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed), run);
    System.out.println("report: " + Files.readString(report));

    assertThat(arrived).as("killed mid-copy").isLessThan(40);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode json = JSON.readTree(report.toFile());
    assertThat(json.path("status").asText()).as(json.toString()).isEqualTo("succeeded");
    assertThat(json.path("restarts").asInt()).as(json.toString()).isGreaterThanOrEqualTo(1);
    assertThat(json.path("objectsCommitted").asLong()).as(json.toString()).isEqualTo(40);
    assertThat(json.path("bytes").asLong()).as("bytes counted once: %s", json).isEqualTo(total);
    List<String> progress = run.err().lines().filter(l -> PROGRESS.matcher(l).matches()).toList();
    System.out.printf("progress lines: %s%n", progress);
    for (String line : progress) {
      Matcher m = PROGRESS.matcher(line);
      assertThat(m.matches()).isTrue();
      assertThat(bytes(m.group(1), m.group(2))).as(line).isLessThanOrEqualTo(bytes(m.group(3), m.group(4)));
      assertThat(Long.parseLong(m.group(5))).as(line).isLessThanOrEqualTo(Long.parseLong(m.group(6)));
    }
    assertThat(dst.resolve(Residue.AREA)).as("the run's area").doesNotExist();
    assertThat(Tree.digests(dst)).isEqualTo(Tree.digests(src));
  }

  /** A size as the progress line prints it (one decimal), in bytes. */
  private static double bytes(String number, String unit) {
    String units = "BKMGTP";
    return Double.parseDouble(number) * Math.pow(1024, units.indexOf(unit.charAt(0)));
  }

  @Test
  @Order(2)
  void aKilledJobManagerEndsTheClientWithExitThreeAndCleanRemovesTheRest() throws Exception {
    Path src = files("jm-src", 40, 6);
    Map<String, String> sourceDigests = Tree.digests(src);
    Path dst = tmp.resolve("jm-dst");
    Path report = tmp.resolve("jm.json");
    Proc.Started client = cluster.startFlinkRun(tmp, Map.of(), logs, "jm-kill", "cp", "-r", src.toString(),
        dst.toString(), "-p", "2", "--chunk-size", "2MiB", "--compression", "none", "-q", "--json", report.toString());
    awaitRunning(client, dst, 5);

    cluster.killJobManager();
    long killed = System.nanoTime();
    Proc run = client.await(Duration.ofMinutes(3));
    long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
    int atExit = whole(dst, sourceDigests);
    String areaAtExit = area(dst);
    // the TaskManagers may still write until they notice the JobManager is gone: count once it is quiet
    int settled = atExit;
    for (int i = 0; i < 15; i++) {
      Thread.sleep(1000);
      int now = whole(dst, sourceDigests);
      if (now == settled && i >= 2) {
        break;
      }
      settled = now;
    }
    System.out.printf("JobManager killed; client exit %d %d ms later, %d whole objects there (%d later), area %s%n%s%n",
        run.exitCode(), exitMillis, atExit, settled, areaAtExit, run);
    Proc clean = Proc.run(tmp, Map.of("SKYPLANE_LOG_DIR", logs.resolve("clean").toString()),
        Proc.skyplane(List.of("clean", dst.toString())));
    System.out.println("report: " + Files.readString(report));
    System.out.println("skyplane clean: " + clean);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(exitMillis).as("ms from the kill to the client's exit").isLessThan(120_000);
    JsonNode json = JSON.readTree(report.toFile());
    assertThat(json.path("status").asText()).as(json.toString()).isEqualTo("error");
    assertThat(json.path("objectsCommitted").asInt()).as("objects committed: the report %s", json)
        .isEqualTo(settled).isEqualTo(atExit);
    assertThat(json.path("bytes").asLong()).as(json.toString()).isEqualTo(bytesOf(dst, sourceDigests));
    assertThat(clean.exitCode()).as(clean.toString()).isZero();
    assertThat(dst.resolve(Residue.AREA)).as("the run's area after skyplane clean").doesNotExist();
    try (var files = Files.walk(dst)) {
      assertThat(files.filter(Files::isRegularFile).count()).as("every file at %s is a whole source object", dst)
          .isEqualTo(settled);
    }
    assertThat(settled).as("killed mid-copy").isLessThan(sourceDigests.size());
  }

  /** The bytes of the source objects at {@code dst} byte-identical. */
  private static long bytesOf(Path dst, Map<String, String> sourceDigests) throws Exception {
    long bytes = 0;
    try (var files = Files.list(dst)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (Trees.sha256(file).equals(sourceDigests.get(file.getFileName().toString()))) {
          bytes += Files.size(file);
        }
      }
    }
    return bytes;
  }

  /** How many source objects are at {@code dst} byte-identical (outside the run area). */
  private static int whole(Path dst, Map<String, String> sourceDigests) throws Exception {
    Map<String, String> there = new TreeMap<>();
    if (Files.isDirectory(dst)) {
      try (var files = Files.list(dst)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          there.put(file.getFileName().toString(), Trees.sha256(file));
        }
      }
    }
    there.entrySet().retainAll(sourceDigests.entrySet());
    return there.size();
  }

  /** What the run area at {@code dst} holds, for the messages (a lease with its pid and age); "gone" without one. */
  private static String area(Path dst) throws Exception {
    Path area = dst.resolve(Residue.AREA);
    if (!Files.exists(area)) {
      return "gone";
    }
    List<String> entries = new ArrayList<>();
    try (var walk = Files.walk(area)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String name = area.relativize(p).toString();
        if (name.endsWith("lease.json")) {
          JsonNode lease = JSON.readTree(p.toFile());
          long beat = (System.currentTimeMillis() - lease.path("heartbeatMillis").asLong()) / 1000;
          name += "(pid " + lease.path("pid").asLong() + ", renewed " + beat + " s ago)";
        }
        entries.add(name);
      }
    } catch (java.io.UncheckedIOException | java.io.IOException e) {
      entries.add("(changing)");
    }
    return entries.toString();
  }
}
