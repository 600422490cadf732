package io.skyplane.store;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * CRC32C helpers for store implementations: the checksum of a byte range, the base64 big-endian
 * form GCS uses, and combining the checksums of concatenated parts (to check a multipart object's
 * checksum against its parts' without reading it).
 */
public final class Crc32c {
  private static final int POLY = 0x82F63B78; // CRC32C, reflected

  private Crc32c() {}

  public static int of(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }

  public static String toBase64(int crc32c) {
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt(crc32c).array());
  }

  public static int fromBase64(String base64) {
    return ByteBuffer.wrap(Base64.getDecoder().decode(base64)).getInt();
  }

  /** The CRC32C of A followed by B, from crc(A), crc(B) and B's length (zlib's crc32_combine). */
  public static int combine(int crcA, int crcB, long lengthB) {
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
    for (int i = 0; vector != 0; i++, vector >>>= 1) {
      if ((vector & 1) != 0) {
        sum ^= matrix[i];
      }
    }
    return sum;
  }

  private static void square(int[] target, int[] matrix) {
    for (int n = 0; n < 32; n++) {
      target[n] = times(matrix, matrix[n]);
    }
  }
}
