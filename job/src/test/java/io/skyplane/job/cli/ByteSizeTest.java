package io.skyplane.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
  @Test
  void parsesBinaryAndDecimalUnits() {
    assertThat(ByteSize.parse("64MiB")).isEqualTo(64L << 20);
    assertThat(ByteSize.parse("8M")).isEqualTo(8L << 20);
    assertThat(ByteSize.parse("1GB")).isEqualTo(1_000_000_000L);
    assertThat(ByteSize.parse("1.5 KiB")).isEqualTo(1536);
    assertThat(ByteSize.parse("42")).isEqualTo(42);
    assertThat(ByteSize.parse("0")).isZero();
    assertThat(ByteSize.parse("-1")).isEqualTo(-1);
  }

  @Test
  void rejectsGarbage() {
    assertThatThrownBy(() -> ByteSize.parse("lots")).hasMessageContaining("invalid size 'lots'");
    assertThatThrownBy(() -> ByteSize.parse("5 parsecs")).hasMessageContaining("invalid size unit");
  }

  @Test
  void formats() {
    assertThat(ByteSize.format(0)).isEqualTo("0 B");
    assertThat(ByteSize.format(1536)).isEqualTo("1.5 KiB");
    assertThat(ByteSize.format(3L << 30)).isEqualTo("3.0 GiB");
  }
}
