package io.skyplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc32cCombineTest {
  @Test
  void combineEqualsChecksumOfConcatenation() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      byte[] bytes = new byte[random.nextInt(5000)];
      random.nextBytes(bytes);
      int cut = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
      int a = Crc32c.of(bytes, 0, cut);
      int b = Crc32c.of(bytes, cut, bytes.length - cut);
      assertThat(Crc32c.combine(a, b, bytes.length - cut))
          .as("cut %d of %d", cut, bytes.length)
          .isEqualTo(Crc32c.of(bytes, 0, bytes.length));
    }
  }

  @Test
  void combineOfManyPiecesEqualsWhole() {
    byte[] bytes = new byte[1 << 20];
    new Random(7).nextBytes(bytes);
    int crc = 0;
    int piece = 4093;
    for (int offset = 0; offset < bytes.length; offset += piece) {
      int length = Math.min(piece, bytes.length - offset);
      int next = Crc32c.of(bytes, offset, length);
      crc = offset == 0 ? next : Crc32c.combine(crc, next, length);
    }
    assertThat(crc).isEqualTo(Crc32c.of(bytes, 0, bytes.length));
  }

  @Test
  void knownValue() {
    // CRC-32C check value of "123456789" (RFC 3720 B.4)
    byte[] text = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(Crc32c.of(text, 0, text.length)).isEqualTo(0xE3069283);
  }
}
