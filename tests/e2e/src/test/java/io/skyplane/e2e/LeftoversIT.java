package io.skyplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.job.testing.Rclone;
import io.skyplane.job.testing.StoreKind;
import io.skyplane.job.testing.Trees;
import io.skyplane.testing.servers.AzuriteExtension;
import io.skyplane.testing.servers.GcsServerExtension;
import io.skyplane.testing.servers.S3ServerExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code kill -9} of {@code bin/skyplane cp} (the embedded client, which runs the job in its own
 * JVM) mid-copy into each store leaves its run behind: a lease naming the dead process, a journal
 * of its uploads, open uploads (S3 multipart uploads, GCS part objects, uncommitted Azure blocks,
 * local temporary files). {@code skyplane clean DST --dry-run} lists the dead run and changes
 * nothing; {@code skyplane clean DST} removes all of it (exit 0) and a second one finds nothing (each
 * store); a later {@code skyplane cp} of another source into the same destination removes it before
 * it starts ({@code earlierRunsRemoved}) and ends with nothing of either run left (S3 and GCS: the
 * later run's sweep is the same code as clean's). A live run is reported as running and left alone
 * by a concurrent {@code skyplane clean}, and still ends byte-identical. Every check of the
 * destination goes through the providers' SDKs or rclone (the lease is read with rclone).
 */
class LeftoversIT {
  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();
  @RegisterExtension static final AzuriteExtension AZURE = AzuriteExtension.shared();
  @RegisterExtension
  static final GcsServerExtension GCS = GcsServerExtension.shared();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LEASE = Pattern.compile("\\.skyplane-tmp/([0-9a-f]{12})/lease\\.json");

  @TempDir static Path tmp;
  static StoreRig rig;
  static Path source;
  static Map<String, Long> sourceSizes;
  static Map<String, String> sourceDigests;
  /** A second, small source (its keys differ from the first's): one object of 3 parts, 5 small ones. */
  static Path again;
  static Map<String, String> againDigests;

  @BeforeAll
  static void setUp() throws Exception {
    rig = new StoreRig(tmp, "LeftoversIT", S3.endpoint(), GCS.endpoint(), AZURE.endpoint());
    source = rig.source("src", 8, 40);
    sourceSizes = Residue.sizes(source);
    sourceDigests = Trees.digests(source);
    again = tmp.resolve("again");
    Trees.random(again.resolve("again/three-parts.bin"), 12L << 20, 7);
    for (int i = 0; i < 5; i++) {
      Trees.random(again.resolve("again/s" + i + ".bin"), 3000 + i, 70 + i);
    }
    againDigests = Trees.digests(again);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (rig != null) {
      rig.close();
    }
  }

  /** A run killed with -9 mid-copy, and what it left. */
  private record Killed(Residue destination, String run, long pid, Residue.Look look) {}

  /**
   * Starts a copy into a new destination of that kind, waits until the job's lease names the process
   * and uploads are in flight, kills the client with SIGKILL, waits until the destination stops
   * changing, and checks that the run left a lease naming the dead process, a journal (stores) and
   * uploads in flight.
   */
  private Killed killMidCopy(StoreKind kind, String name) throws Exception {
    Residue destination = rig.destination(kind, name);
    Proc.Started copy = rig.startCopy(name + "-" + kind, source, destination);
    String run = awaitJobLease(copy, destination);
    rig.awaitInFlight(copy, destination, Duration.ofMinutes(3));

    copy.signal("KILL");
    Proc killed = copy.await(Duration.ofSeconds(30));
    assertThat(killed.exitCode()).as(killed.toString()).isEqualTo(128 + 9);
    Residue.Look look = awaitQuiet(destination);

    System.out.printf("%s: killed run %s left %s%n", kind, run, destination.leftovers(look, sourceSizes));
    assertThat(look.areaKeys()).as("the run's lease").contains(".skyplane-tmp/" + run + "/lease.json");
    assertThat(lease(destination, run).path("pid").asLong()).as("the lease names the killed client")
        .isEqualTo(copy.pid());
    if (kind != StoreKind.LOCAL) {
      assertThat(look.areaKeys()).as("the run's journal")
          .anyMatch(k -> k.startsWith(".skyplane-tmp/" + run + "/journal/") && k.endsWith(".intent"));
    }
    assertThat(destination.inFlight(look)).as("uploads in flight left by the killed run").isNotEmpty();
    return new Killed(destination, run, copy.pid(), look);
  }

  /**
   * Waits until the job's own lease is in the destination (the report operator's, naming this
   * process; the client's earlier claim names none); the run id.
   */
  private String awaitJobLease(Proc.Started copy, Residue destination) throws Exception {
    return awaitLease(copy, destination, true);
  }

  /** Waits until a lease is in the destination, with {@code named} one that names a process; the run id. */
  private String awaitLease(Proc.Started copy, Residue destination, boolean named) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline && copy.alive()) {
      Optional<String> run = destination.look(rig.stores).areaKeys().stream().map(LEASE::matcher)
          .filter(Matcher::matches).map(m -> m.group(1)).findFirst();
      if (run.isPresent() && (!named || lease(destination, run.get()).path("pid").asLong() > 0)) {
        return run.get();
      }
      Thread.sleep(named ? 100 : 50);
    }
    throw new AssertionError("no lease" + (named ? " naming the process" : "") + " at " + rig.uri(destination)
        + "\n" + copy.output());
  }

  /** The run's lease, read with rclone (a file for local destinations). */
  private JsonNode lease(Residue destination, String run) throws Exception {
    String key = ".skyplane-tmp/" + run + "/lease.json";
    if (destination.kind() == StoreKind.LOCAL) {
      return JSON.readTree(rig.stores.local(destination.bucket()).resolve(key).toFile());
    }
    Rclone.Result cat = rig.rclone.run("cat", rig.rclone.remote(destination.kind(), destination.bucket(), key));
    assertThat(cat.exitCode()).as(cat.toString()).isZero();
    return JSON.readTree(cat.output());
  }

  /** Looks until two looks half a second apart are the same (calls in flight at the kill have landed). */
  private Residue.Look awaitQuiet(Residue destination) throws Exception {
    Residue.Look before = destination.look(rig.stores);
    for (int i = 0; i < 30; i++) {
      Thread.sleep(500);
      Residue.Look now = destination.look(rig.stores);
      if (now.equals(before)) {
        return now;
      }
      before = now;
    }
    return before;
  }

  private Proc clean(Residue destination, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("clean", rig.uri(destination)));
    args.addAll(List.of(options));
    Proc clean = rig.skyplane(args);
    System.out.printf("skyplane clean %s %s: %s%n", rig.uri(destination), String.join(" ", options), clean);
    return clean;
  }

  /** Every object at the destination is a whole copy of an object of {@code expected}; their count. */
  private static int assertWhole(Residue destination, Map<String, String> expected) throws Exception {
    Map<String, String> arrived = rig.stores.digests(destination.kind(), destination.bucket(), destination.prefix());
    assertThat(expected).as("objects at %s", rig.uri(destination)).containsAllEntriesOf(arrived);
    return arrived.size();
  }

  @ParameterizedTest
  @EnumSource(StoreKind.class)
  void cleanRemovesWhatAKilledClientLeftAndADryRunChangesNothing(StoreKind kind) throws Exception {
    Killed killed = killMidCopy(kind, "clean");
    Residue destination = killed.destination();

    Proc dryRun = clean(destination, "--dry-run");
    Residue.Look afterDryRun = destination.look(rig.stores);
    Proc clean = clean(destination);
    List<String> timeline = new ArrayList<>();
    List<String> left = destination.awaitClean(rig.stores, sourceSizes, System.nanoTime(), 5_000, timeline);
    Proc again = clean(destination);

    assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
    assertThat(dryRun.out()).as(dryRun.toString())
        .contains("run " + killed.run() + ": dead (its process by pid " + killed.pid())
        .contains("would remove");
    assertThat(afterDryRun).as("the destination after --dry-run").isEqualTo(killed.look());
    assertThat(clean.exitCode()).as(clean.toString()).isZero();
    assertThat(clean.out()).as(clean.toString()).contains("run " + killed.run() + ": dead");
    assertThat(left).as("left after skyplane clean (%s)", timeline).isEmpty();
    assertWhole(destination, sourceDigests);
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out()).as(again.toString()).contains("nothing to clean");
  }

  @ParameterizedTest // S3 (open multipart uploads) and GCS (part objects named by upload, not by run)
  @EnumSource(value = StoreKind.class, names = {"S3", "GS"})
  void aLaterCopyRemovesWhatAKilledClientLeftBeforeItStarts(StoreKind kind) throws Exception {
    Killed killed = killMidCopy(kind, "later");
    Residue destination = killed.destination();
    Path report = tmp.resolve("later-" + kind + ".json");

    Proc later = rig.skyplane(List.of("cp", "-r", again.toString(), rig.uri(destination), "--chunk-size", "5MiB",
        "-p", "2", "-q", "--json", report.toString()));

    System.out.printf("%s: later copy %s%n", kind, later);
    assertThat(later.exitCode()).as(later.toString()).isZero();
    JsonNode json = JSON.readTree(report.toFile());
    assertThat(json.path("earlierRunsRemoved").asInt()).as(json.toString()).isPositive();
    assertThat(json.path("leftovers")).as(json.toString()).isEmpty();
    Map<String, Long> sizes = new TreeMap<>(sourceSizes);
    sizes.putAll(Residue.sizes(again));
    List<String> timeline = new ArrayList<>();
    List<String> left = destination.awaitClean(rig.stores, sizes, System.nanoTime(), 5_000, timeline);
    assertThat(left).as("left of either run (%s)", timeline).isEmpty();
    Map<String, String> expected = new TreeMap<>(sourceDigests);
    expected.putAll(againDigests);
    assertWhole(destination, expected);
    Map<String, String> arrived = rig.stores.digests(kind, destination.bucket(), destination.prefix());
    assertThat(arrived).as("the later copy arrived whole").containsAllEntriesOf(againDigests);
  }

  @Test
  void aLiveRunIsReportedRunningAndLeftAlone() throws Exception {
    Residue destination = rig.destination(StoreKind.S3, "live");
    Proc.Started copy = rig.startCopy("live", source, destination);
    String run = awaitLease(copy, destination, false);

    Proc clean = clean(destination);
    boolean stillCopying = copy.alive();
    Proc done = copy.await(Duration.ofMinutes(5));

    assertThat(stillCopying).as("the copy still ran when skyplane clean ended").isTrue();
    assertThat(clean.exitCode()).as(clean.toString()).isZero();
    assertThat(clean.out()).as(clean.toString()).contains("run " + run + ": running").contains("left alone");
    assertThat(done.exitCode()).as(done.toString()).isZero();
    assertThat(rig.stores.digests(StoreKind.S3, destination.bucket(), destination.prefix())).isEqualTo(sourceDigests);
    List<String> timeline = new ArrayList<>();
    assertThat(destination.awaitClean(rig.stores, sourceSizes, System.nanoTime(), 5_000, timeline))
        .as("left after the live copy (%s)", timeline).isEmpty();
  }
}
