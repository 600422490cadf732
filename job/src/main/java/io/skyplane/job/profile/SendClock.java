package io.skyplane.job.profile;

import java.time.Duration;

/**
 * When a sender stops. Its clock starts only once it has sent more than its output buffers can
 * hold ({@code primeBytes}), which proves the receivers take data: a receiver deployed later than
 * the sender, or a connection still being set up, cannot eat into the measurement. From then on it
 * sends for the receivers' warm-up and window plus a tail (at least half a second and four round
 * trips), so every receiver's window closes while data still flows, whichever sender it heard
 * first.
 */
final class SendClock {
  static final Duration MIN_TAIL = Duration.ofMillis(500);

  private final long primeBytes;
  private final long runNanos;
  private long sent;
  private long startedAt = -1;

  SendClock(long primeBytes, Duration warmUp, Duration duration, long rttNanos) {
    this.primeBytes = primeBytes;
    this.runNanos = warmUp.toNanos() + duration.toNanos() + Math.max(MIN_TAIL.toNanos(), 4 * Math.max(0, rttNanos));
  }

  /** {@code bytes} more were handed to Flink at {@code nanos}; false once the sender should stop. */
  boolean sent(long nanos, long bytes) {
    sent += bytes;
    if (startedAt < 0) {
      if (sent > primeBytes) {
        startedAt = nanos;
      }
      return true;
    }
    return nanos - startedAt < runNanos;
  }
}
