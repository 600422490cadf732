package io.skyplane.testing.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32cCombineTest {
  @Test
  void combinedCrcsEqualTheCrcOfTheConcatenation() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      byte[] data = new byte[random.nextInt(5000)];
      random.nextBytes(data);
      int cut = data.length == 0 ? 0 : random.nextInt(data.length + 1);
      int combined = Crc32cCombine.combine(crc(data, 0, cut), crc(data, cut, data.length - cut),
          data.length - cut);
      assertThat(combined).as("%d bytes cut at %d", data.length, cut).isEqualTo(crc(data, 0, data.length));
    }
  }

  private static int crc(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }
}
