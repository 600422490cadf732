package io.skyplane.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
  @Test
  void parsesBinaryAndDecimalUnitsExactly() {
    assertThat(ByteSize.parse("64MiB")).isEqualTo(64L << 20);
    assertThat(ByteSize.parse("8M")).isEqualTo(8L << 20);
    assertThat(ByteSize.parse("1GB")).isEqualTo(1_000_000_000L);
    assertThat(ByteSize.parse("1.5 KiB")).isEqualTo(1536);
    assertThat(ByteSize.parse("42")).isEqualTo(42);
    assertThat(ByteSize.parse("0")).isZero();
    assertThat(ByteSize.parse("2PiB")).isEqualTo(2L << 50);
    assertThat(ByteSize.parse("8191PiB")).isEqualTo(8191L << 50);
    assertThat(ByteSize.parse(Long.toString(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void refusesWhatIsNotAWholeNumberOfBytesInRange() {
    assertThatThrownBy(() -> ByteSize.parse("lots", "--chunk-size"))
        .hasMessage("--chunk-size must be a size such as 64MiB, 8M or 1GB, got 'lots'");
    assertThatThrownBy(() -> ByteSize.parse("5 parsecs", "--chunk-size")).hasMessageContaining("unknown unit 'parsecs'");
    assertThatThrownBy(() -> ByteSize.parse("-1", "--chunk-size")).hasMessage("--chunk-size must not be negative, got '-1'");
    assertThatThrownBy(() -> ByteSize.parse("0.1K", "--chunk-size"))
        .hasMessage("--chunk-size must be a whole number of bytes, got '0.1K' (102.4 bytes)");
    assertThatThrownBy(() -> ByteSize.parse("9000000T", "--chunk-size"))
        .hasMessage("--chunk-size '9000000T' is too large (at most 8EiB)");
    assertThatThrownBy(() -> ByteSize.parse("9223372036854775808", "--chunk-size")).hasMessageContaining("too large");
    assertThatThrownBy(() -> ByteSize.parse("1e3", "--chunk-size")).hasMessageContaining("must be a size");
  }

  @Test
  void formats() {
    assertThat(ByteSize.format(0)).isEqualTo("0 B");
    assertThat(ByteSize.format(1536)).isEqualTo("1.5 KiB");
    assertThat(ByteSize.format(3L << 30)).isEqualTo("3.0 GiB");
    assertThat(ByteSize.exact(64L << 10)).isEqualTo("64KiB");
    assertThat(ByteSize.exact(1L << 30)).isEqualTo("1GiB");
    assertThat(ByteSize.exact(1000)).isEqualTo("1000B");
    assertThat(ByteSize.exact(0)).isEqualTo("0B");
  }
}
