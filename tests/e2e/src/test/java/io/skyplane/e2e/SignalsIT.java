package io.skyplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.job.testing.StoreKind;
import io.skyplane.job.testing.Trees;
import io.skyplane.testing.servers.AzuriteExtension;
import io.skyplane.testing.servers.GcsServerExtension;
import io.skyplane.testing.servers.S3ServerExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ctrl-C (SIGINT) and SIGTERM sent to {@code bin/skyplane cp} while it is mid-copy into each store
 * (local files, S3, GCS, Azure; mid-copy: local temporary files, parts uploaded to an open S3
 * multipart upload, GCS part objects or uncommitted Azure blocks are visible): the client exits
 * within 10 s with 130 or 143, and afterwards the destination holds only whole copies of source
 * objects: no partial object, no open S3 multipart upload, no uncommitted Azure block, no GCS part
 * object, nothing under {@code .skyplane-tmp/}, no local temporary file. Also when the signal comes
 * right after the client claimed the run's lease, before the job runs. The destination is judged
 * through the providers' SDKs; it is watched for up to 15 s after the exit (a store call in flight
 * may land late) and every change seen is printed with its time since the exit; anything that
 * appears after the exit fails the test. A client still running 6 s after the signal leaves a
 * thread dump in {@code tests/e2e/target/e2e-logs/SignalsIT/}, beside each client's output and log.
 */
class SignalsIT {
  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();
  @RegisterExtension static final AzuriteExtension AZURE = AzuriteExtension.shared();
  @RegisterExtension
  static final GcsServerExtension GCS = GcsServerExtension.shared();

  /** How long the client may take to exit after the signal (its own budget is 8 s). */
  private static final Duration EXIT_WITHIN = Duration.ofSeconds(10);
  /** How long the destination is watched after the exit for store calls in flight to land. */
  private static final long WATCH_MILLIS = 15_000;

  @TempDir static Path tmp;
  static StoreRig rig;
  static Path source;
  static Map<String, Long> sourceSizes;
  static Map<String, String> sourceDigests;

  @BeforeAll
  static void setUp() throws Exception {
    rig = new StoreRig(tmp, "SignalsIT", S3.endpoint(), GCS.endpoint(), AZURE.endpoint());
    // 8 objects of 8 parts (5 MiB chunks) and 24 small ones: ~320 MiB, a few seconds of copying at least
    source = rig.source("src", 8, 40);
    sourceSizes = Residue.sizes(source);
    sourceDigests = Trees.digests(source);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (rig != null) {
      rig.close();
    }
  }

  static Stream<Arguments> storesAndSignals() {
    List<Arguments> cases = new ArrayList<>();
    for (StoreKind kind : StoreKind.values()) {
      cases.add(Arguments.of(kind, "INT", 130));
      cases.add(Arguments.of(kind, "TERM", 143));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} SIG{1}")
  @MethodSource("storesAndSignals")
  void aSignalMidCopyEndsTheClientAtOnceAndLeavesNothing(StoreKind kind, String signal, int exitCode)
      throws Exception {
    Residue destination = rig.destination(kind, "sig" + signal.toLowerCase(Locale.ROOT));
    Proc.Started copy = rig.startCopy(kind + "-" + signal, source, destination);
    List<String> inFlight = rig.awaitInFlight(copy, destination, Duration.ofMinutes(3));

    Ended ended = signalAndAwaitExit(copy, signal, kind + "-" + signal);
    Proc run = ended.run();
    long exitMillis = ended.millis();
    long exitedAt = System.nanoTime();
    List<String> timeline = new ArrayList<>();
    List<String> left = destination.awaitClean(rig.stores, sourceSizes, exitedAt, WATCH_MILLIS, timeline);
    System.out.printf("%s SIG%s: in flight %d; exit %d after %d ms; destination after the exit: %s%n", kind,
        signal, inFlight.size(), run.exitCode(), exitMillis, timeline);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(exitCode);
    assertThat(exitMillis).as("ms from SIG%s to the exit%n%s", signal, run).isLessThanOrEqualTo(EXIT_WITHIN.toMillis());
    assertThat(left).as("left at %s %d ms after the exit (timeline since the exit: %s)%n%s",
        rig.uri(destination), WATCH_MILLIS, timeline, run).isEmpty();
    assertThat(timeline).as("nothing appeared after the exit").noneMatch(line -> line.contains("APPEARED"));
    // what is there is whole: each object is a byte-identical copy of its source object
    Map<String, String> arrived = rig.stores.digests(kind, destination.bucket(), destination.prefix());
    assertThat(sourceDigests).as("objects at the destination").containsAllEntriesOf(arrived);
    assertThat(arrived.size()).as("interrupted before the end").isLessThan(sourceDigests.size());
    assertThat(run.err()).doesNotContain("may remain");
  }

  @Test
  void aSignalRightAfterTheLeaseClaimLeavesNothingEither() throws Exception {
    // the client has claimed the run's lease and is starting the job (embedded cluster, submission)
    Residue destination = rig.destination(StoreKind.LOCAL, "early");
    Path area = rig.stores.local(destination.bucket()).resolve(Residue.AREA);
    Proc.Started copy = rig.startCopy("early-INT", source, destination);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!leaseIn(area) && copy.alive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(leaseIn(area)).as("the run's lease appeared%n%s", copy.output()).isTrue();

    Ended ended = signalAndAwaitExit(copy, "INT", "early-INT");
    Proc run = ended.run();
    long exitedAt = System.nanoTime();
    List<String> timeline = new ArrayList<>();
    List<String> left = destination.awaitClean(rig.stores, sourceSizes, exitedAt, WATCH_MILLIS, timeline);
    System.out.printf("early SIGINT: exit %d after %d ms; destination after the exit: %s%n", run.exitCode(),
        ended.millis(), timeline);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(130);
    assertThat(ended.millis()).as("ms from SIGINT to the exit%n%s", run).isLessThanOrEqualTo(EXIT_WITHIN.toMillis());
    assertThat(left).as("left at %s (timeline since the exit: %s)%n%s", rig.uri(destination), timeline, run).isEmpty();
  }

  private static boolean leaseIn(Path area) throws IOException {
    if (!Files.isDirectory(area)) {
      return false;
    }
    try (Stream<Path> runs = Files.list(area)) {
      return runs.anyMatch(run -> Files.exists(run.resolve("lease.json")));
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** A process that ended after a signal: what it printed, and how long after the signal it ended. */
  private record Ended(Proc run, long millis) {}

  /**
   * Sends the signal and waits (60 s at most) for the process to end; a thread dump goes to the
   * logs when it still runs 6 s after the signal. Fails when it does not end.
   */
  private static Ended signalAndAwaitExit(Proc.Started copy, String signal, String name) throws Exception {
    copy.signal(signal);
    long signalled = System.nanoTime();
    boolean exited = copy.waitFor(Duration.ofSeconds(6));
    if (!exited) {
      if (Proc.onPath("jstack")) {
        Proc dump = Proc.run(tmp, Map.of(), List.of("jstack", Long.toString(copy.pid())));
        Files.writeString(rig.logs.resolve(name + ".jstack"), dump.out() + dump.err());
      }
      exited = copy.waitFor(Duration.ofSeconds(54));
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
    assertThat(exited).as("exited within 60 s of SIG%s%n%s", signal, copy.output()).isTrue();
    return new Ended(copy.await(Duration.ZERO), millis);
  }
}
