package io.skyplane.job.profile;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;

/**
 * How much Flink's credit-based flow control lets be in flight on an exchange. A receiver gives a
 * sender one credit per free buffer of its input gate, and a sender sends only against credit, so
 * one receiver gate never has more than {@code (2 x channels + 8)} buffers of {@code
 * taskmanager.memory.segment-size} (32 KiB by default) on the way: a window of bytes per round trip
 * that caps a long fat link below its rate. Flink 2.x fixed the counts (2 exclusive buffers per
 * channel, 8 floating per gate, up to 20 overdraft buffers per output; the options that set them
 * were removed in 2.0); only the segment size is left to configure. The profile widens the window
 * with more channels ({@code --streams}: n senders to n receivers is n gates of n channels).
 */
final class FlowControl {
  static final int EXCLUSIVE_BUFFERS_PER_CHANNEL = 2;
  static final int FLOATING_BUFFERS_PER_GATE = 8;
  static final int OVERDRAFT_BUFFERS_PER_OUTPUT = 20;

  private FlowControl() {}

  /** Bytes one receiver gate of {@code channels} channels lets be in flight. */
  static long creditBytes(int channels, int segmentBytes) {
    return (long) (EXCLUSIVE_BUFFERS_PER_CHANNEL * channels + FLOATING_BUFFERS_PER_GATE) * segmentBytes;
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
