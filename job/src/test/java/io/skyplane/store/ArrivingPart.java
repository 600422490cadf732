package io.skyplane.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link PartData} for store tests whose bytes arrive from a feeder thread, a piece at a time with
 * a pause in between (like frames arriving over the network); it may claim a wrong CRC32C, or be
 * abandoned at some byte (readers past it, and {@link #crc32c()}, then fail). Counts how often it
 * was opened, so a test can tell that a retry re-read it.
 */
public final class ArrivingPart implements PartData, AutoCloseable {
  private final byte[] bytes;
  private final int claimedCrc32c;
  private final int piece;
  private final long pauseMillis;
  private final long abandonAt;
  private final AtomicInteger opens = new AtomicInteger();
  private final Thread feeder;
  private long arrived;
  private boolean abandoned;

  private ArrivingPart(byte[] bytes, int claimedCrc32c, int piece, long pauseMillis, long abandonAt) {
    this.bytes = requireNonNull(bytes, "bytes is null");
    this.claimedCrc32c = claimedCrc32c;
    this.piece = piece;
    this.pauseMillis = pauseMillis;
    this.abandonAt = abandonAt;
    this.feeder = new Thread(this::feed, "arriving-part");
    this.feeder.setDaemon(true);
  }

  /** {@code bytes}, arriving in pieces of {@code piece} bytes every {@code pauseMillis}; started at once. */
  public static ArrivingPart arriving(byte[] bytes, int piece, long pauseMillis) {
    return new ArrivingPart(bytes, TestData.crc32c(bytes), piece, pauseMillis, -1).start();
  }

  /** Like {@link #arriving}, but claiming {@code crc32c} as the CRC32C of the bytes. */
  public static ArrivingPart claiming(byte[] bytes, int crc32c, int piece, long pauseMillis) {
    return new ArrivingPart(bytes, crc32c, piece, pauseMillis, -1).start();
  }

  /** Like {@link #arriving}, but abandoned once {@code abandonAt} bytes arrived. */
  public static ArrivingPart abandonedAt(byte[] bytes, long abandonAt, int piece, long pauseMillis) {
    return new ArrivingPart(bytes, TestData.crc32c(bytes), piece, pauseMillis, abandonAt).start();
  }

  private ArrivingPart start() {
    feeder.start();
    return this;
  }

  private void feed() {
    try {
      while (true) {
        synchronized (this) {
          if (abandoned || arrived == bytes.length) {
            return;
          }
          long next = Math.min(bytes.length, arrived + piece);
          if (abandonAt >= 0 && next >= abandonAt) {
            arrived = Math.max(arrived, Math.min(abandonAt, bytes.length));
            abandoned = true;
            notifyAll();
            return;
          }
          arrived = next;
          notifyAll();
        }
        Thread.sleep(pauseMillis);
      }
    } catch (InterruptedException e) {
      synchronized (this) {
        abandoned = true;
        notifyAll();
      }
    }
  }

  /** How often {@link #open()} was called. */
  public int opens() {
    return opens.get();
  }

  @Override
  public long length() {
    return bytes.length;
  }

  @Override
  public InputStream open() {
    opens.incrementAndGet();
    return new InputStream() {
      private int position;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (position == bytes.length) {
          return -1;
        }
        if (len == 0) {
          return 0;
        }
        long available = awaitBeyond(position);
        int n = (int) Math.min(len, available - position);
        System.arraycopy(bytes, position, b, off, n);
        position += n;
        return n;
      }
    };
  }

  /** Waits until more than {@code position} bytes arrived and returns how many did. */
  private synchronized long awaitBeyond(long position) throws IOException {
    while (arrived <= position) {
      if (abandoned) {
        throw new IOException("part abandoned at byte " + arrived + " (a frame was lost)");
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for the part's bytes");
      }
    }
    return arrived;
  }

  @Override
  public int crc32c() throws IOException {
    awaitBeyond(bytes.length - 1L);
    return claimedCrc32c;
  }

  @Override
  public void close() {
    feeder.interrupt();
  }
}
