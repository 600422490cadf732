package io.skyplane.testing.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.LongAdder;

/** Writes a body through unchanged, counting payload bytes. */
final class PlainSink implements BodySink {
  private final OutputStream out;
  private final LongAdder counter;

  PlainSink(OutputStream out, LongAdder counter) {
    this.out = out;
    this.counter = counter;
  }

  @Override
  public void payload(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    counter.add(len);
  }

  @Override
  public void framing(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  @Override
  public void end() {}
}
