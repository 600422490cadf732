package io.skyplane.testing.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes a body with its fault applied: a reset after a part of it, a stall part-way, or a slow
 * rate. The place is {@code position} times the body length. When the head gives no length
 * (chunked, until close), up to {@link #LOOKAHEAD} bytes are held back first: a body that ends
 * within them has its length known, a longer one gets its place within them; either way a reset
 * cuts the payload itself (not only the chunked framing, which lenient clients would not notice).
 * Such a chunked body is sent re-chunked (one chunk per write, no trailers). Without a positioned
 * fault the body passes byte for byte. Payload is flushed after each write.
 */
final class ShapedSink implements BodySink {
  /** How much of a body of unknown length is held back to place a reset or stall. */
  static final int LOOKAHEAD = 64 * 1024;
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  private final OutputStream out;
  private final LongAdder counter;
  private final Decision decision;
  private final boolean rechunk;
  private final long stallMillis;
  private final long bytesPerSecond;
  private final int slice;
  private ByteArrayOutputStream held;
  private long offset;
  private long resetAt = -1;
  private long stallAt = -1;
  private long dripStart;

  ShapedSink(OutputStream out, Decision d, Framing framing, LongAdder counter) {
    this.out = out;
    this.counter = counter;
    this.decision = d;
    boolean positioned = d.kind() == FaultKind.RESET || d.kind() == FaultKind.STALL;
    long known = framing.knownLength();
    if (positioned && d.phase() == Decision.Phase.RESPONSE_HEADERS) {
      resetAt = 0;
    } else if (positioned && known > 0) {
      place(known);
    } else if (positioned) {
      held = new ByteArrayOutputStream(LOOKAHEAD);
    }
    this.rechunk = held != null && framing.type() == Framing.Type.CHUNKED;
    this.stallMillis = d.stall().toMillis();
    this.bytesPerSecond = d.kind() == FaultKind.DRIP ? d.bytesPerSecond() : 0;
    this.slice = (int) Math.max(1, Math.min(16 * 1024, bytesPerSecond / 20));
  }

  @Override
  public void payload(byte[] b, int off, int len) throws IOException {
    if (held != null) {
      held.write(b, off, len);
      if (held.size() >= LOOKAHEAD) {
        release(LOOKAHEAD);
      }
      return;
    }
    shaped(b, off, len);
  }

  @Override
  public void framing(byte[] b, int off, int len) throws IOException {
    if (!rechunk) {
      out.write(b, off, len);
    }
  }

  @Override
  public void end() throws IOException {
    if (held != null) {
      release(held.size());
    }
    if (resetAt >= 0) {
      out.flush();
      throw new InjectedReset("at the end of the body (" + offset + " bytes)");
    }
    if (stallAt >= 0) {
      stall();
    }
    if (rechunk) {
      out.write(LAST_CHUNK);
    }
  }

  /** Places the fault within the first {@code span} bytes and sends what was held back. */
  private void release(long span) throws IOException {
    byte[] h = held.toByteArray();
    held = null;
    place(span);
    shaped(h, 0, h.length);
  }

  private void place(long span) {
    long at = span <= 0 ? 0 : Math.min(span - 1, (long) (decision.position() * span));
    if (decision.kind() == FaultKind.RESET) {
      resetAt = at;
    } else {
      stallAt = at;
    }
  }

  private void shaped(byte[] b, int off, int len) throws IOException {
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

  private void write(byte[] b, int off, int len) throws IOException {
    if (len > 0) {
      if (rechunk) {
        out.write(Integer.toHexString(len).getBytes(StandardCharsets.ISO_8859_1));
        out.write(CRLF);
        out.write(b, off, len);
        out.write(CRLF);
      } else {
        out.write(b, off, len);
      }
      offset += len;
      counter.add(len);
    }
    out.flush();
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
