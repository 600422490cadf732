package io.skyplane.job.profile;

import java.time.Duration;

/**
 * A receiver's measurement: the bytes that arrive in a window that opens {@code warmUp} after the
 * first record and lasts {@code duration} (by this receiver's own monotonic clock, so no clocks are
 * compared across machines). The warm-up leaves out TCP slow start after the idle connection, the
 * congestion control's first probing and Flink's channels filling; senders lengthen it on long
 * links ({@link #atLeast}) until the window opens. If the senders stop before the window closes,
 * the window ends at the last arrival and the sample says it is incomplete.
 */
final class SteadyWindow {
  private final long durationNanos;
  private long warmUpNanos;
  private long first = -1;
  private boolean open;
  private long last;
  private long totalBytes;
  private long windowBytes;

  SteadyWindow(Duration warmUp, Duration duration) {
    this.warmUpNanos = warmUp.toNanos();
    this.durationNanos = duration.toNanos();
  }

  /** A record (a header, {@code bytes} 0) arrived at {@code nanos}: the clock starts at the first one. */
  void started(long nanos) {
    if (first < 0) {
      first = nanos;
    }
  }

  /** Lengthens the warm-up to {@code nanos}, unless the window is already open. */
  void atLeast(long nanos) {
    if (!open) {
      warmUpNanos = Math.max(warmUpNanos, nanos);
    }
  }

  /** {@code bytes} arrived at {@code nanos} ({@link System#nanoTime()}). */
  void add(long nanos, long bytes) {
    started(nanos);
    last = nanos;
    totalBytes += bytes;
    long start = first + warmUpNanos;
    if (nanos > start) {
      open = true;
      if (nanos <= start + durationNanos) {
        windowBytes += bytes;
      }
    }
  }

  /** The measurement so far, as receiver {@code subtask}, whose channels hold {@code creditBytes}. */
  WindowSample sample(int subtask, long creditBytes) {
    long start = first + warmUpNanos;
    long end = start + durationNanos;
    long nanos = first < 0 || totalBytes == 0 ? 0 : Math.max(0, Math.min(end, last) - start);
    return new WindowSample(subtask, windowBytes, nanos, totalBytes, totalBytes > 0 && last >= end, creditBytes,
        warmUpNanos);
  }
}
