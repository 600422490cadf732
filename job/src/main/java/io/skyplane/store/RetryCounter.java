package io.skyplane.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counts behind a provider's {@link RetryStats}: the provider's SDK hook calls {@link #retried}
 * for every failed try that will be tried again, {@link ResumingInputStream} calls {@link
 * #resumedRead}. Thread-safe and cheap.
 */
public final class RetryCounter implements RetryStats {

  /** Why a try failed. */
  public enum Cause {
    THROTTLED,
    SERVER_ERROR,
    NETWORK
  }

  private final LongAdder throttled = new LongAdder();
  private final LongAdder serverErrors = new LongAdder();
  private final LongAdder networkErrors = new LongAdder();
  private final LongAdder resumedReads = new LongAdder();

  public void retried(Cause cause) {
    switch (cause) {
      case THROTTLED -> throttled.increment();
      case SERVER_ERROR -> serverErrors.increment();
      case NETWORK -> networkErrors.increment();
    }
  }

  public void resumedRead() {
    resumedReads.increment();
  }

  @Override
  public RetryCounts retryCounts() {
    return new RetryCounts(throttled.sum(), serverErrors.sum(), networkErrors.sum(), resumedReads.sum());
  }
}
