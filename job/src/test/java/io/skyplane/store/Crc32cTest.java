package io.skyplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc32cTest {
  @Test
  void combinesLikeTheWholeChecksum() {
    byte[] data = new byte[100_003];
    new Random(1).nextBytes(data);
    int whole = Crc32c.of(data, 0, data.length);
    for (int split : new int[] {0, 1, 7, 4096, 65_536, data.length - 1, data.length}) {
      int a = Crc32c.of(data, 0, split);
      int b = Crc32c.of(data, split, data.length - split);
      assertThat(Crc32c.combine(a, b, data.length - split)).as("split %d", split).isEqualTo(whole);
    }
  }

  @Test
  void roundTripsBase64() {
    assertThat(Crc32c.fromBase64(Crc32c.toBase64(0xCAFEBABE))).isEqualTo(0xCAFEBABE);
    // "hello" has CRC32C 0x9A71BB4C, base64 of its big-endian bytes is "mnG7TA=="
    byte[] hello = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(Crc32c.toBase64(Crc32c.of(hello, 0, 5))).isEqualTo("mnG7TA==");
  }
}
