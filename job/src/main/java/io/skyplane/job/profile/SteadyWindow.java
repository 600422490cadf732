package io.skyplane.job.profile;

import java.time.Duration;

/**
 * A receiver's measurement: the bytes that arrive in a window that opens {@code warmUp} after the
 * first byte and lasts {@code duration} (by this receiver's own monotonic clock, so no clocks are
 * compared across machines). The warm-up leaves out TCP slow start after the idle connection and
 * Flink's channels filling. If the senders stop before the window closes, the window ends at the
 * last arrival and the sample says it is incomplete.
 */
final class SteadyWindow {
  private final long warmUpNanos;
  private final long durationNanos;
  private long first = -1;
  private long start;
  private long end;
  private long last;
  private long totalBytes;
  private long windowBytes;

  SteadyWindow(Duration warmUp, Duration duration) {
    this.warmUpNanos = warmUp.toNanos();
    this.durationNanos = duration.toNanos();
  }

  /** {@code bytes} arrived at {@code nanos} ({@link System#nanoTime()}). */
  void add(long nanos, long bytes) {
    if (first < 0) {
      first = nanos;
      start = nanos + warmUpNanos;
      end = start + durationNanos;
    }
    last = nanos;
    totalBytes += bytes;
    if (nanos > start && nanos <= end) {
      windowBytes += bytes;
    }
  }

  /** The measurement so far, as receiver {@code subtask}, whose channels hold {@code creditBytes}. */
  WindowSample sample(int subtask, long creditBytes) {
    long nanos = first < 0 ? 0 : Math.max(0, Math.min(end, last) - start);
    return new WindowSample(subtask, windowBytes, nanos, totalBytes, first >= 0 && last >= end, creditBytes);
  }
}
