package io.skyplane.job.profile;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;

/**
 * How much Flink's credit-based flow control lets be in flight on an exchange. A receiver gives a
 * sender one credit per free buffer of its input gate, and a sender sends only against credit: a
 * window of bytes per round trip that caps a long fat link below its rate. Each input channel has 2
 * exclusive buffers of {@code taskmanager.memory.segment-size} (32 KiB by default); up to 8 more
 * per gate float to the channels that announce a backlog, which on this job added only about one
 * buffer per gate (measured: 4 x 4 channels carried 1.18 MB per round trip, the exclusive buffers
 * alone 1.05 MB). The guaranteed window is therefore taken as the exclusive buffers. Flink 2.x
 * fixed these counts (the options that set them were removed in 2.0); only the segment size is
 * left to configure. The profile widens the window with more channels ({@code --streams}: n senders
 * to n receivers is n gates of n channels, 2 n² buffers).
 */
final class FlowControl {
  static final int EXCLUSIVE_BUFFERS_PER_CHANNEL = 2;
  static final int FLOATING_BUFFERS_PER_GATE = 8;
  static final int OVERDRAFT_BUFFERS_PER_OUTPUT = 20;

  private FlowControl() {}

  /** Bytes one receiver gate of {@code channels} channels surely lets be in flight: its exclusive buffers. */
  static long creditBytes(int channels, int segmentBytes) {
    return (long) EXCLUSIVE_BUFFERS_PER_CHANNEL * channels * segmentBytes;
  }

  /** The most bytes a sender with {@code subpartitions} outputs holds before any receiver takes one. */
  static long senderBufferBytes(int subpartitions, int segmentBytes) {
    return (long) (EXCLUSIVE_BUFFERS_PER_CHANNEL * subpartitions + FLOATING_BUFFERS_PER_GATE
        + OVERDRAFT_BUFFERS_PER_OUTPUT) * segmentBytes;
  }

  /** The network buffer size of the TaskManager this task runs on. */
  static int segmentBytes(RuntimeContext context) {
    return (int) ((StreamingRuntimeContext) context).getTaskManagerRuntimeInfo().getConfiguration()
        .get(TaskManagerOptions.MEMORY_SEGMENT_SIZE).getBytes();
  }
}
