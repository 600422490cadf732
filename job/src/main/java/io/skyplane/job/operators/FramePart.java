package io.skyplane.job.operators;

import io.skyplane.store.Crc32c;
import io.skyplane.store.PartData;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The bytes of one chunk as its frames arrive at the destination: each frame is appended after its
 * CRC32C was checked against the source's, so a store streams a part that holds only verified
 * bytes, in order, while the rest is still on its way. The frames stay (no copy into one buffer)
 * until the upload is done, so that a store's retry can send the part again from its first byte.
 * A frame that is damaged, missing or out of order abandons the part: every stream over it fails,
 * and the store never completes an object with it.
 *
 * <p>Thread-safe: the task thread appends, an upload thread reads.
 */
final class FramePart implements PartData {
  private final long length;
  private final boolean reread;
  private final LongConsumer retained;
  private final List<byte[]> frames = new ArrayList<>();
  /** Bytes held in {@link #frames}, reported to {@link #retained} as they come and go. */
  private long held;
  private long received;
  private int crc;
  private boolean complete;
  private String abandoned;
  private boolean released;

  /**
   * @param length the part's bytes
   * @param reread whether the store may read the part more than once (else frames are dropped as
   *     they are read, and the part can be opened once)
   * @param retained told of every change of the bytes this part holds (+ on append, - on drop)
   */
  FramePart(long length, boolean reread, LongConsumer retained) {
    this.length = length;
    this.reread = reread;
    this.retained = retained;
  }

  @Override
  public long length() {
    return length;
  }

  /** Bytes appended so far. */
  synchronized long received() {
    return received;
  }

  /**
   * Appends a frame's checked raw bytes; {@code frameCrc} is their CRC32C. A part that was
   * abandoned or released drops them (its upload is over).
   */
  synchronized void append(byte[] raw, int frameCrc) {
    if (complete) {
      throw new IllegalStateException("the part is complete");
    }
    if (abandoned != null || released) {
      return;
    }
    if (received + raw.length > length) {
      throw new IllegalStateException("a frame of " + raw.length + " bytes overflows the part at " + received
          + " of " + length);
    }
    if (raw.length > 0) {
      frames.add(raw);
      hold(raw.length);
      crc = received == 0 ? frameCrc : Crc32c.combine(crc, frameCrc, raw.length);
      received += raw.length;
    }
    notifyAll();
  }

  /** Marks the part complete; it must hold all its bytes. */
  synchronized void finish() {
    if (received != length) {
      throw new IllegalStateException("the part holds " + received + " of " + length + " bytes");
    }
    complete = true;
    notifyAll();
  }

  /** Abandons the part: every stream over it, and {@link #crc32c()}, fail with {@code reason}. */
  synchronized void abandon(String reason) {
    if (abandoned == null) {
      abandoned = reason;
    }
    notifyAll();
  }

  /** Drops the frames once the upload is over; the part cannot be read any more. */
  synchronized void release() {
    released = true;
    frames.clear();
    hold(-held);
    notifyAll();
  }

  private void hold(long bytes) {
    held += bytes;
    retained.accept(bytes);
  }

  /** Whether every byte arrived ({@link #finish()}). */
  synchronized boolean complete() {
    return complete;
  }

  @Override
  public synchronized int crc32c() throws IOException {
    while (!complete) {
      awaitChange();
    }
    return length == 0 ? 0 : crc;
  }

  /** Waits for the next append or state change; fails when the part was abandoned or released. */
  private void awaitChange() throws IOException {
    check();
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the part's frames");
    }
    check();
  }

  private void check() throws IOException {
    if (abandoned != null) {
      throw new IOException(abandoned);
    }
    if (released) {
      throw new IOException("the part was released");
    }
  }

  @Override
  public synchronized InputStream open() throws IOException {
    check();
    if (!reread) {
      if (opened) {
        throw new IOException("the part was read once already: its bytes are gone");
      }
      opened = true;
    }
    return new FrameStream();
  }

  private boolean opened;

  /** Reads the frames in order, waiting for those still to arrive. */
  private final class FrameStream extends InputStream {
    private int frame;
    private int offset;
    private long position;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      byte[] current;
      synchronized (FramePart.this) {
        while (true) {
          check();
          if (frame < frames.size()) {
            current = frames.get(frame);
            break;
          }
          if (complete || position >= length) {
            return -1;
          }
          awaitChange();
        }
      }
      // frames never change once appended: copy outside the lock
      int n = Math.min(len, current.length - offset);
      System.arraycopy(current, offset, b, off, n);
      offset += n;
      position += n;
      if (offset == current.length) {
        offset = 0;
        synchronized (FramePart.this) {
          if (reread) {
            frame++;
          } else if (!released) {
            frames.set(frame++, null); // read once: drop it now
            hold(-current.length);
          }
        }
      }
      return n;
    }
  }
}
