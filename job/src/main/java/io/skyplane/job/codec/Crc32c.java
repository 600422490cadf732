package io.skyplane.job.codec;

import java.util.zip.CRC32C;

/**
 * CRC32C helpers. {@link #combine} joins the checksums of two adjacent byte ranges without the
 * bytes, so a chunk's checksum follows from its frames' and an object's from its chunks'.
 */
public final class Crc32c {
  /** Reflected Castagnoli polynomial. */
  private static final int POLY = 0x82F63B78;

  private Crc32c() {}

  public static int of(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /**
   * Returns the CRC32C of A followed by B, given crc(A), crc(B) and the length of B (the zlib
   * crc32_combine method: apply lengthB zero bytes to crc(A) by squaring a GF(2) operator matrix).
   */
  public static int combine(int crcA, int crcB, long lengthB) {
    if (lengthB <= 0) {
      return crcA;
    }
    int[] even = new int[32];
    int[] odd = new int[32];
    odd[0] = POLY; // operator for one zero bit
    int row = 1;
    for (int n = 1; n < 32; n++) {
      odd[n] = row;
      row <<= 1;
    }
    square(even, odd); // two zero bits
    square(odd, even); // four zero bits
    int crc = crcA;
    long len = lengthB;
    do {
      square(even, odd);
      if ((len & 1) != 0) {
        crc = times(even, crc);
      }
      len >>>= 1;
      if (len == 0) {
        break;
      }
      square(odd, even);
      if ((len & 1) != 0) {
        crc = times(odd, crc);
      }
      len >>>= 1;
    } while (len != 0);
    return crc ^ crcB;
  }

  private static int times(int[] matrix, int vector) {
    int sum = 0;
    int i = 0;
    int v = vector;
    while (v != 0) {
      if ((v & 1) != 0) {
        sum ^= matrix[i];
      }
      v >>>= 1;
      i++;
    }
    return sum;
  }

  private static void square(int[] target, int[] matrix) {
    for (int n = 0; n < 32; n++) {
      target[n] = times(matrix, matrix[n]);
    }
  }
}
