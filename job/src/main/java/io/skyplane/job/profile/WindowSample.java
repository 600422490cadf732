package io.skyplane.job.profile;

import java.io.Serializable;

/**
 * One receiver's measurement of a link (sent to the client as an accumulator value).
 *
 * @param subtask the receiver's subtask index
 * @param bytes payload bytes that arrived in the steady window
 * @param nanos the window's length: the configured duration, or less when the data stopped early
 * @param totalBytes payload bytes that arrived in all, warm-up and tail included
 * @param complete whether data kept arriving until the window closed
 * @param creditBytes what Flink's credit-based flow control surely lets be in flight to this
 *     receiver: its input channels' exclusive buffers
 * @param warmUpNanos the warm-up this receiver left out before its window
 */
public record WindowSample(
    int subtask, long bytes, long nanos, long totalBytes, boolean complete, long creditBytes, long warmUpNanos)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}
