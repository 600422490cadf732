package io.skyplane.job.operators;

import io.skyplane.job.model.Frame;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Test hook: damages the frame in the middle of one chunk in transit (flips bits of its payload),
 * after the chunk's earlier frames went on to the destination (which streams them into the store),
 * so that tests can prove a damaged frame mid-part is detected and its object never written. Only
 * in the graph when a transfer is started with a chunk to corrupt.
 */
public final class CorruptFrames implements MapFunction<Frame, Frame> {
  private static final long serialVersionUID = 1L;

  private final String chunkToCorrupt;

  /** @param chunkToCorrupt "KEY#INDEX" */
  public CorruptFrames(String chunkToCorrupt) {
    this.chunkToCorrupt = chunkToCorrupt;
  }

  @Override
  public Frame map(Frame frame) {
    long middle = frame.chunkOffset() + frame.chunkLength() / 2;
    if (frame.payload().length == 0
        || middle < frame.frameOffset() || middle >= frame.frameOffset() + frame.rawLength()
        || !(frame.key() + "#" + frame.chunkIndex()).equals(chunkToCorrupt)) {
      return frame;
    }
    byte[] damaged = frame.payload().clone();
    damaged[damaged.length / 2] ^= (byte) 0x5A;
    return frame.withPayload(frame.codec(), damaged);
  }
}
