package io.skyplane.store;

import static io.skyplane.store.TestData.bytes;
import static io.skyplane.store.TestData.crc32c;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.testing.faults.FaultKind;
import io.skyplane.testing.faults.FaultStats;
import io.skyplane.testing.servers.FaultProxyExtension;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A store used through the fault proxy (its real local server behind it) while the proxy throttles,
 * fails, resets and stalls requests: every operation of the contract still succeeds, with the
 * SDK's retries and resumed reads (counted by {@link RetryStats}); and a store that only answers
 * 503 fails with THROTTLED within the time its retry settings allow. A subclass per provider opens
 * stores on fresh buckets through its proxy and knows its SDK's back-off.
 */
public abstract class StoreFaultScenarios {
  /** The tester's mix: 10 % throttled, 5 % 500, 2 % connections reset (anywhere in a body). */
  protected static final String MIX = "throttle=0.1,error=0.05,reset=0.02";
  private static final int KEYS = 60; // a few hundred requests in all: enough for every fault kind, short for CI
  private static final int PART = 5 << 20;

  /** The proxy in front of the provider's server. */
  protected abstract FaultProxyExtension<?> faults();

  /** A store on a fresh, empty bucket, through the proxy, with these extra store options. */
  protected abstract ObjectStore openThroughProxy(Map<String, String> options) throws Exception;

  /** A regex of the request target of the GETs that read {@code key}'s bytes (not its metadata). */
  protected abstract String readTarget(String key);

  /**
   * The longest the SDK waits in all before tries 2..{@code attempts} of a request that is
   * throttled every time (its back-off at the top of its jitter, plus what else it may wait).
   */
  protected abstract Duration longestThrottledBackoff(int attempts);

  @Test
  void everyOperationSucceedsThroughThrottlingErrorsAndResets() throws Exception {
    faults().configure(MIX + ",seed=17");
    try (ObjectStore store = openThroughProxy(Map.of())) {
      // a multipart upload and its completion
      MultipartWriter writer = store.multipart();
      long size = 3L * PART + 1000;
      MultipartUpload upload = writer.create("big/object");
      List<PartReceipt> parts = Uploads.uploadAll(writer, upload, 41, size, PART, 3, new Random(4));
      assertThat(writer.complete(upload, parts).size()).isEqualTo(size);
      // dozens of puts, a listing of them, a stat of each tenth
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < KEYS; i++) {
        keys.add(String.format("small/%04d", i));
      }
      parallel(keys, key -> store.put(key, bytes(key.hashCode(), 100), 0, 100, crc32c(bytes(key.hashCode(), 100))));
      List<String> listed = new ArrayList<>();
      try (ObjectListing listing = store.list("small/")) {
        listing.forEachRemaining(info -> listed.add(info.key()));
      }
      assertThat(listed).containsExactlyElementsOf(keys);
      for (int i = 0; i < KEYS; i += 10) {
        assertThat(store.stat(keys.get(i))).get().extracting(ObjectInfo::size).isEqualTo(100L);
      }
      // ranged reads of MiBs, each compared byte for byte
      byte[] expected = bytes(41, (int) size);
      for (long offset = 0; offset < size; offset += 4L << 20) {
        long length = Math.min(4L << 20, size - offset);
        try (InputStream in = store.read("big/object", offset, length)) {
          assertThat(in.readAllBytes()).as("bytes at %d", offset)
              .isEqualTo(Arrays.copyOfRange(expected, (int) offset, (int) (offset + length)));
        }
      }
      // deletes
      parallel(keys, store::delete);
      store.delete("big/object");
      try (ObjectListing listing = store.list("")) {
        assertThat(listing.hasNext()).isFalse();
      }
      assertThat(writer.pending("")).isEmpty();

      FaultStats stats = faults().stats();
      RetryCounts counts = ((RetryStats) store).retryCounts();
      System.out.printf("%s through %s: %s; the proxy saw %d requests, faults %s%n",
          getClass().getSimpleName(), stats.spec(), counts, stats.requests(), stats.faults());
      assertThat(stats.count(FaultKind.THROTTLE)).isPositive();
      assertThat(stats.count(FaultKind.ERROR)).isPositive();
      assertThat(stats.count(FaultKind.RESET)).isPositive();
      assertThat(counts.throttled()).as("%s after %s", counts, stats).isPositive();
      assertThat(counts.serverErrors()).as("%s after %s", counts, stats).isPositive();
      assertThat(counts.retries()).as("%s after %s", counts, stats).isPositive();
    }
  }

  /**
   * A part streamed while its bytes arrive ({@link ArrivingPart}): the first try is reset while its
   * body is sent, the next answered with a 500, the third goes through; the SDK's retries re-open
   * the data and the object is byte-identical.
   */
  @Test
  void aStreamedPartIsSentAgainFromItsStartAfterAResetAndAnError() throws Exception {
    try (ObjectStore store = openThroughProxy(Map.of())) {
      MultipartWriter writer = store.multipart();
      MultipartUpload upload = writer.create("streamed/object");
      byte[] data = bytes(45, PART + 12_345);
      faults().configure("reset=1:request");
      ExecutorService watcher = Executors.newSingleThreadExecutor();
      PartReceipt receipt;
      try (ArrivingPart part = ArrivingPart.arriving(data, 128 << 10, 5)) {
        Future<?> relieve = watcher.submit(() -> {
          while (faults().stats().count(FaultKind.RESET) == 0) {
            Thread.sleep(10);
          }
          faults().configure("error=1:500,methods=PUT+POST");
          while (faults().stats().count(FaultKind.ERROR) == 0) {
            Thread.sleep(10);
          }
          faults().configure("none");
          return null;
        });
        receipt = writer.upload(upload, 1, 0, part);
        relieve.get(10, TimeUnit.SECONDS);
        assertThat(part.opens()).as("the tries after the reset re-opened the data").isGreaterThanOrEqualTo(2);
      } finally {
        watcher.shutdownNow();
      }
      assertThat(writer.complete(upload, List.of(receipt)).size()).isEqualTo(data.length);
      try (InputStream in = store.read("streamed/object", 0, data.length)) {
        assertThat(in.readAllBytes()).isEqualTo(data);
      }
      RetryCounts counts = ((RetryStats) store).retryCounts();
      System.out.printf("%s streamed part: %s, faults %s%n", getClass().getSimpleName(), counts,
          faults().stats().faults());
      assertThat(counts.serverErrors() + counts.networkErrors()).as("%s", counts).isGreaterThanOrEqualTo(2);
      assertThat(writer.pending("")).isEmpty();
    }
  }

  @Test
  void resetsWhileSmallAnswersAreReadAreRetried() throws Exception {
    try (ObjectStore store = openThroughProxy(Map.of())) {
      MultipartWriter writer = store.multipart();
      MultipartUpload upload = writer.create("answers/object");
      List<PartReceipt> parts = Uploads.uploadAll(writer, upload, 42, 2L * PART, PART, 2, new Random(6));
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        keys.add("answers/k" + i);
      }
      parallel(keys, key -> store.put(key, new byte[] {7}, 0, 1, crc32c(new byte[] {7})));
      // from here on, one answer in four is cut off after its headers or part of its body
      faults().configure("reset=0.25:response,seed=23");
      assertThat(writer.complete(upload, parts).size()).isEqualTo(2L * PART);
      for (int round = 0; round < 5; round++) {
        List<String> listed = new ArrayList<>();
        try (ObjectListing listing = store.list("answers/k")) {
          listing.forEachRemaining(info -> listed.add(info.key()));
        }
        assertThat(listed).hasSize(keys.size());
      }
      for (String key : keys.subList(0, 20)) {
        assertThat(store.stat(key)).isPresent();
      }
      assertThat(faults().stats().count(FaultKind.RESET)).isPositive();
      assertThat(((RetryStats) store).retryCounts().retries()).isPositive();
    }
  }

  @Test
  void downloadsAnsweredWithErrorsAreRetried() throws Exception {
    try (ObjectStore store = openThroughProxy(Map.of())) {
      byte[] data = bytes(44, 12 << 20);
      store.put("answered/object", data, 0, data.length, crc32c(data));
      faults().configure("throttle=0.2,error=0.1:500+503,seed=5,methods=GET,path="
          + readTarget("answered/object"));
      for (int round = 0; round < 3; round++) {
        try (InputStream in = store.read("answered/object", 0, data.length)) {
          assertThat(in.readAllBytes()).isEqualTo(data);
        }
      }
      assertThat(faults().stats().count(FaultKind.THROTTLE) + faults().stats().count(FaultKind.ERROR)).isPositive();
      assertThat(((RetryStats) store).retryCounts().retries()).isPositive();
    }
  }

  @Test
  void aStallLongerThanTheIdleTimeoutIsSurvivedByAResumedRead() throws Exception {
    try (ObjectStore store = openThroughProxy(Map.of(RequestSettings.IDLE_TIMEOUT, "2s"))) {
      byte[] data = bytes(43, 8 << 20);
      store.put("stall/object", data, 0, data.length, crc32c(data));
      faults().configure("stall=1:60s,methods=GET,path=" + readTarget("stall/object"));
      long started = System.nanoTime();
      byte[] read;
      try (InputStream in = store.read("stall/object", 0, data.length)) {
        ExecutorService watcher = Executors.newSingleThreadExecutor();
        try {
          // once the first GET stalls, let the next ones through
          Future<?> relieve = watcher.submit(() -> {
            while (faults().stats().count(FaultKind.STALL) == 0) {
              Thread.sleep(50);
            }
            faults().configure("none");
            return null;
          });
          read = in.readAllBytes();
          relieve.get(10, TimeUnit.SECONDS);
        } finally {
          watcher.shutdownNow();
        }
      }
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(read).isEqualTo(data);
      assertThat(took).as("the stall (60 s) was cut at the idle timeout").isBetween(
          Duration.ofSeconds(2), Duration.ofSeconds(30));
      assertThat(((RetryStats) store).retryCounts().resumedReads()).isEqualTo(1);
    }
  }

  @Test
  void aStoreThatOnlyThrottlesFailsWithinTheRetryBudget() throws Exception {
    int attempts = 4;
    Duration requestTimeout = Duration.ofSeconds(5);
    try (ObjectStore store = openThroughProxy(Map.of(RequestSettings.ATTEMPTS, Integer.toString(attempts),
        RequestSettings.REQUEST_TIMEOUT, "5s"))) {
      store.stat("warm-up"); // the client's first request loads and sets up more than the others
      faults().configure("down=503");
      faults().resetStats();
      long started = System.nanoTime();
      assertThatThrownBy(() -> store.stat("any/key")).isInstanceOfSatisfying(StoreException.class, e -> {
        assertThat(e.kind()).isEqualTo(StoreException.Kind.THROTTLED);
        assertThat(e.getMessage()).contains(store.uri("any/key"));
      });
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      System.out.printf("%s: only 503s, %d attempts failed after %d ms (bound %d ms)%n",
          getClass().getSimpleName(), attempts, took.toMillis(),
          longestThrottledBackoff(attempts).plusSeconds(attempts).toMillis());
      // every try answered at once: the back-off, plus a second per try for the rest
      Duration bound = longestThrottledBackoff(attempts).plusSeconds(attempts);
      assertThat(took).as("bound %s from %d attempts (request timeout %s unused)", bound, attempts,
          requestTimeout).isLessThanOrEqualTo(bound);
      assertThat(faults().stats().requests()).as("every try reached the proxy").isEqualTo(attempts);
      assertThat(((RetryStats) store).retryCounts().throttled()).isBetween((long) attempts - 1, (long) attempts);
    }
  }

  @Test
  void afterTheRetriesTheKindOfTheFailureIsStillRight() throws Exception {
    try (ObjectStore store = openThroughProxy(Map.of(RequestSettings.ATTEMPTS, "2"))) {
      store.put("k", new byte[] {1}, 0, 1, crc32c(new byte[] {1})); // so that an answer has a body
      Map<String, StoreException.Kind> expected = Map.of(
          "down=500", StoreException.Kind.RETRYABLE,
          "down=502", StoreException.Kind.RETRYABLE,
          "down=429", StoreException.Kind.THROTTLED,
          "reset=1:headers", StoreException.Kind.RETRYABLE);
      for (Map.Entry<String, StoreException.Kind> fault : expected.entrySet()) {
        faults().configure(fault.getKey());
        assertThatThrownBy(() -> store.stat("k")).as(fault.getKey())
            .isInstanceOfSatisfying(StoreException.class, e -> {
              assertThat(e.kind()).as(fault.getKey() + ": " + e.getMessage()).isEqualTo(fault.getValue());
              assertThat(e.getMessage()).contains(store.uri("k"));
            });
      }
    }
  }

  /** Runs {@code action} for every key, 8 at a time; the first failure fails the call. */
  private static void parallel(List<String> keys, KeyAction action) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (String key : keys) {
        done.add(pool.submit(() -> {
          action.run(key);
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  private interface KeyAction {
    void run(String key) throws IOException;
  }
}
