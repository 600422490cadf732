package io.skyplane.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/** Deterministic object bytes (a function of seed and offset) and streaming checksums for store tests. */
public final class TestData {
  private TestData() {}

  /** Fills {@code buffer[0, length)} with the bytes at {@code objectOffset} of object {@code seed}. */
  public static void fill(long seed, long objectOffset, byte[] buffer, int length) {
    long word = 0;
    long wordIndex = -1;
    for (int i = 0; i < length; i++) {
      long position = objectOffset + i;
      if (position >>> 3 != wordIndex) {
        wordIndex = position >>> 3;
        word = mix(seed * 0x9E3779B97F4A7C15L + wordIndex);
      }
      buffer[i] = (byte) (word >>> ((position & 7) * 8));
    }
  }

  public static byte[] bytes(long seed, int length) {
    byte[] data = new byte[length];
    fill(seed, 0, data, length);
    return data;
  }

  public static int crc32c(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }

  public static int crc32c(byte[] data) {
    return crc32c(data, 0, data.length);
  }

  /** CRC32C of {@code size} bytes of object {@code seed}, generated through one bounded buffer. */
  public static int crc32c(long seed, long size) {
    byte[] buffer = new byte[8 << 20];
    CRC32C crc = new CRC32C();
    for (long done = 0; done < size; ) {
      int n = (int) Math.min(buffer.length, size - done);
      fill(seed, done, buffer, n);
      crc.update(buffer, 0, n);
      done += n;
    }
    return (int) crc.getValue();
  }

  /** Reads a stream to its end, returning the CRC32C and counting bytes into {@code count[0]}. */
  public static int crc32c(InputStream in, long[] count) throws IOException {
    byte[] buffer = new byte[1 << 20];
    CRC32C crc = new CRC32C();
    for (int n; (n = in.read(buffer)) >= 0; ) {
      crc.update(buffer, 0, n);
      count[0] += n;
    }
    return (int) crc.getValue();
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
