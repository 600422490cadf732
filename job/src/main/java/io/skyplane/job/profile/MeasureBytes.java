package io.skyplane.job.profile;

import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The receiving side of one link, in the destination region: counts the bytes that arrive in its
 * {@link SteadyWindow} (with the longest warm-up the senders' {@link WarmUpHeader}s ask for) and,
 * when every sender has finished and all their data is in, reports its {@link WindowSample}. It emits nothing; its end is what starts the next link.
 */
final class MeasureBytes extends AbstractStreamOperator<Long>
    implements OneInputStreamOperator<byte[], Long>, BoundedOneInput {
  private static final long serialVersionUID = 1L;

  private final ProfileSpec spec;
  private final int index;
  private transient ListAccumulator<WindowSample> windows;
  private transient SteadyWindow window;
  private transient long creditBytes;

  MeasureBytes(ProfileSpec spec, int index) {
    this.spec = spec;
    this.index = index;
  }

  @Override
  public void open() throws Exception {
    super.open();
    windows = new ListAccumulator<>();
    getRuntimeContext().addAccumulator(ProfileJob.windowAccumulator(index), windows);
    window = new SteadyWindow(spec.warmUp(), spec.duration());
    creditBytes = FlowControl.creditBytes(spec.streams(), FlowControl.segmentBytes(getRuntimeContext()));
  }

  @Override
  public void processElement(StreamRecord<byte[]> element) {
    long now = System.nanoTime();
    byte[] record = element.getValue();
    long warmUp = WarmUpHeader.decode(record);
    if (warmUp >= 0) {
      window.started(now);
      window.atLeast(warmUp);
    } else {
      window.add(now, record.length);
    }
  }

  @Override
  public void endInput() {
    windows.add(window.sample(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), creditBytes));
  }
}
