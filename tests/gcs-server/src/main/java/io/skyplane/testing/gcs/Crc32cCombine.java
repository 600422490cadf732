package io.skyplane.testing.gcs;

/**
 * The CRC32C of a concatenation from the CRC32Cs of its pieces, as GCS computes a composite
 * object's checksum (zlib's {@code crc32_combine}: appending {@code lengthB} bytes multiplies the
 * first CRC by x^(8 lengthB) modulo the polynomial, in GF(2)).
 */
final class Crc32cCombine {
  private static final int POLY = 0x82F63B78; // CRC-32C (Castagnoli), reflected

  private Crc32cCombine() {}

  /** The CRC32C of A followed by B, from A's CRC, B's CRC and B's length. */
  static int combine(int crcA, int crcB, long lengthB) {
    if (lengthB <= 0) {
      return crcA;
    }
    int[] odd = new int[32];
    int[] even = new int[32];
    odd[0] = POLY; // the operator for one zero bit
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
      square(even, odd); // apply len's bits: one zero byte first, then doubling
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
    for (int i = 0; vector != 0; i++, vector >>>= 1) {
      if ((vector & 1) != 0) {
        sum ^= matrix[i];
      }
    }
    return sum;
  }

  private static void square(int[] square, int[] matrix) {
    for (int n = 0; n < 32; n++) {
      square[n] = times(matrix, matrix[n]);
    }
  }
}
