package io.skyplane.testing.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes a body with its fault applied: a reset after a part of it, a stall part-way, or a slow
 * rate. The place is {@code position} times the body length; when the length is unknown (chunked,
 * until close) times {@link #UNKNOWN_SPAN}, and at the latest just before the body's end, so that
 * a reset always truncates. Payload is flushed to the socket after each write.
 */
final class ShapedSink implements BodySink {
  /** The span a position applies to when the body length is unknown. */
  static final long UNKNOWN_SPAN = 64 * 1024;

  private final OutputStream out;
  private final LongAdder counter;
  private final long stallMillis;
  private final long bytesPerSecond;
  private final int slice;
  private long offset;
  private long resetAt = -1;
  private long stallAt = -1;
  private long dripStart;

  ShapedSink(OutputStream out, Decision d, long knownLength, LongAdder counter) {
    this.out = out;
    this.counter = counter;
    long span = knownLength > 0 ? knownLength : UNKNOWN_SPAN;
    long at = Math.min(span - 1, (long) (d.position() * span));
    switch (d.kind()) {
      case RESET -> resetAt = d.phase() == Decision.Phase.RESPONSE_HEADERS ? 0 : at;
      case STALL -> stallAt = at;
      default -> { }
    }
    this.stallMillis = d.stall().toMillis();
    this.bytesPerSecond = d.kind() == FaultKind.DRIP ? d.bytesPerSecond() : 0;
    this.slice = (int) Math.max(1, Math.min(16 * 1024, bytesPerSecond / 20));
  }

  @Override
  public void payload(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (resetAt >= 0 && offset + len > resetAt) {
        write(b, off, (int) (resetAt - offset));
        throw new InjectedReset("after " + offset + " body bytes");
      }
      if (stallAt >= 0 && offset + len > stallAt) {
        int n = (int) (stallAt - offset);
        write(b, off, n);
        off += n;
        len -= n;
        stall();
        continue;
      }
      if (bytesPerSecond > 0) {
        int n = Math.min(len, slice);
        write(b, off, n);
        off += n;
        len -= n;
        pace();
        continue;
      }
      write(b, off, len);
      return;
    }
  }

  @Override
  public void framing(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  @Override
  public void end() throws IOException {
    if (resetAt >= 0) {
      out.flush();
      throw new InjectedReset("at the end of the body (" + offset + " bytes)");
    }
    if (stallAt >= 0) {
      stall();
    }
  }

  private void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    out.flush();
    offset += len;
    counter.add(len);
  }

  private void stall() throws IOException {
    stallAt = -1;
    out.flush();
    sleep(TimeUnit.MILLISECONDS.toNanos(stallMillis));
  }

  private void pace() {
    if (dripStart == 0) {
      dripStart = System.nanoTime() - TimeUnit.SECONDS.toNanos(slice) / bytesPerSecond;
    }
    long due = dripStart + (long) (offset * 1e9 / bytesPerSecond);
    sleep(due - System.nanoTime());
  }

  private static void sleep(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
