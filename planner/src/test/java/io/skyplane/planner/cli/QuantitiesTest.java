package io.skyplane.planner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class QuantitiesTest {

  @Test
  void sizes() {
    assertThat(Quantities.parseSizeGb("500GB", "--volume")).isEqualTo(500);
    assertThat(Quantities.parseSizeGb("1.5TB", "--volume")).isCloseTo(1500, within(1e-9));
    assertThat(Quantities.parseSizeGb("1GiB", "--volume")).isCloseTo(1.073741824, within(1e-12));
    assertThat(Quantities.parseSizeGb("250 mb", "--volume")).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void rates() {
    assertThat(Quantities.parseRateGbps("10Gbps", "--throughput")).isEqualTo(10);
    assertThat(Quantities.parseRateGbps("800Mbps", "--throughput")).isCloseTo(0.8, within(1e-12));
    assertThat(Quantities.parseRateGbps("1.25GB/s", "--throughput")).isCloseTo(10, within(1e-12));
  }

  @Test
  void money() {
    assertThat(Quantities.parseUsd("40USD", "--max-cost")).isEqualTo(40);
    assertThat(Quantities.parseUsd("$12.5", "--max-cost")).isEqualTo(12.5);
    assertThat(Quantities.parseUsd("7", "--max-cost")).isEqualTo(7);
  }

  @Test
  void badQuantitiesSayWhatIsWrong() {
    assertThatThrownBy(() -> Quantities.parseSizeGb("500", "--volume"))
        .hasMessage("--volume '500' needs a size unit (B, KB, MB, GB, TB, PB, KiB ... PiB), e.g. 500GB");
    assertThatThrownBy(() -> Quantities.parseSizeGb("-5GB", "--volume"))
        .hasMessageContaining("is not a positive number");
    assertThatThrownBy(() -> Quantities.parseRateGbps("0Gbps", "--throughput"))
        .hasMessage("--throughput must be > 0, got '0Gbps'");
    assertThatThrownBy(() -> Quantities.parseRateGbps("10GB", "--throughput"))
        .hasMessageContaining("needs a rate unit");
    assertThatThrownBy(() -> Quantities.parseUsd("40EUR", "--max-cost"))
        .hasMessageContaining("must be in USD");
    assertThatThrownBy(() -> Quantities.parseUsd("abc", "--max-cost"))
        .hasMessageContaining("is not a positive number");
  }
}
