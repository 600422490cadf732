package io.skyplane.job.operators;

import io.skyplane.job.codec.Compression;
import io.skyplane.job.codec.FrameCodec;
import io.skyplane.job.model.Frame;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Compresses frames at the source, before they leave the region. */
public final class EncodeFrames extends RichMapFunction<Frame, Frame> {
  private static final long serialVersionUID = 1L;

  private final Compression compression;
  private transient FrameCodec codec;

  public EncodeFrames(Compression compression) {
    this.compression = compression;
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
    if (codec != null) {
      codec.close();
    }
  }
}
