package io.skyplane.job.testing;

import static java.util.Objects.requireNonNull;

import io.skyplane.store.StoreException;
import java.util.Locale;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Which writes of a {@link FaultyStoreFactory} store fail; parsed from the spec's {@code fail-*}
 * options.
 *
 * @param keySuffix faults apply to keys ending with this ("" = every key)
 * @param failingUpload the N-th part upload of a matching key fails (0 = none), and so does every
 *     retry of that part
 * @param uploadFailures how many of those uploads fail ({@link Integer#MAX_VALUE}: all)
 * @param complete when completes fail
 * @param completeFailures how many completes fail ({@link Integer#MAX_VALUE}: all)
 * @param put whether puts of matching keys fail
 * @param kind the kind of the injected exceptions; null for a crash: an {@link AssertionError},
 *     which no store caller catches, so the task fails
 */
record FaultPlan(String keySuffix, int failingUpload, int uploadFailures, CompleteFault complete, int completeFailures,
    boolean put, @Nullable StoreException.Kind kind) {

  /** When complete fails. */
  enum CompleteFault { NONE, BEFORE, AFTER }

  FaultPlan {
    requireNonNull(keySuffix, "keySuffix is null");
    requireNonNull(complete, "complete is null");
  }

  static FaultPlan parse(Map<String, String> options) {
    for (String name : options.keySet()) {
      if (!Map.of("fail-key", 1, "fail-upload", 1, "fail-complete", 1, "fail-complete-times", 1,
          "fail-put", 1, "fail-kind", 1, "fail-upload-times", 1).containsKey(name)) {
        throw new IllegalArgumentException("unknown fault option '" + name + "'");
      }
    }
    String times = options.getOrDefault("fail-complete-times", "");
    String uploadTimes = options.getOrDefault("fail-upload-times", "");
    String kind = options.getOrDefault("fail-kind", "retryable").toUpperCase(Locale.ROOT);
    return new FaultPlan(
        options.getOrDefault("fail-key", ""),
        Integer.parseInt(options.getOrDefault("fail-upload", "0")),
        uploadTimes.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(uploadTimes),
        CompleteFault.valueOf(options.getOrDefault("fail-complete", "none").toUpperCase(Locale.ROOT)),
        times.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(times),
        Boolean.parseBoolean(options.getOrDefault("fail-put", "false")),
        kind.equals("CRASH") ? null : StoreException.Kind.valueOf(kind));
  }

  boolean matches(String key) {
    return key.endsWith(keySuffix);
  }

  /** Throws the injected failure. */
  void fail(String what) throws StoreException {
    if (kind == null) {
      throw new AssertionError("injected crash: " + what);
    }
    throw new StoreException(kind, "injected failure: " + what);
  }
}
