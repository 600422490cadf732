package io.skyplane.store;

import java.io.Serializable;

/**
 * Failed tries of requests that the store's SDK tried again, by cause, and read streams that were
 * re-opened where they broke (see {@link RetryStats}).
 *
 * @param throttled tries the store answered with "slow down" (HTTP 429, 503)
 * @param serverErrors tries that failed with another server error (HTTP 5xx, S3's 200-with-error)
 * @param networkErrors tries that failed on the way: connection refused or reset, a timeout, an
 *     answer cut short
 * @param resumedReads read streams that broke (reset, stall, premature end) and were re-opened at
 *     the byte they had reached
 */
public record RetryCounts(long throttled, long serverErrors, long networkErrors, long resumedReads)
    implements Serializable {
  public static final RetryCounts ZERO = new RetryCounts(0, 0, 0, 0);

  public RetryCounts {
    if (throttled < 0 || serverErrors < 0 || networkErrors < 0 || resumedReads < 0) {
      throw new IllegalArgumentException("negative retry count: " + throttled + ", " + serverErrors
          + ", " + networkErrors + ", " + resumedReads);
    }
  }

  /** The sum of both counts, field by field. */
  public RetryCounts plus(RetryCounts other) {
    return new RetryCounts(throttled + other.throttled, serverErrors + other.serverErrors,
        networkErrors + other.networkErrors, resumedReads + other.resumedReads);
  }

  /** Retried tries of any cause (resumed reads not included). */
  public long retries() {
    return throttled + serverErrors + networkErrors;
  }
}
