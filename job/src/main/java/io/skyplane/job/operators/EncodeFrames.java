package io.skyplane.job.operators;

import io.skyplane.job.codec.Compression;
import io.skyplane.job.codec.FrameCodec;
import io.skyplane.job.model.Frame;
import io.skyplane.job.report.StoreRetries;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Compresses frames at the source, before they leave the region. */
public final class EncodeFrames extends RichMapFunction<Frame, Frame> {
  private static final long serialVersionUID = 1L;

  private final Compression compression;
  private final String run;
  private transient FrameCodec codec;

  /** @param run the transfer's id: this subtask's source reader leaves its retry counts under it */
  public EncodeFrames(Compression compression, String run) {
    this.compression = compression;
    this.run = run;
  }

  @Override
  public void open(OpenContext openContext) {
    codec = new FrameCodec(compression);
  }

  @Override
  public Frame map(Frame frame) {
    return codec.encode(frame);
  }

  @Override
  public void close() {
    // the chained source reader's store retries (it has no runtime context of its own)
    StoreRetries.add(getRuntimeContext(), StoreRetries.SOURCE,
        StoreRetries.take(run, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask()));
    if (codec != null) {
      codec.close();
    }
  }
}
