package io.skyplane.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesUnitsAndTakesABareNumberAsSeconds() {
    assertThat(Durations.parse("5s", "--duration")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("5", "--duration")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("1.5s", "--duration")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("500ms", "--duration")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2min", "--duration")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("2m", "--duration")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse(" 1 h", "--duration")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void namesTheOptionAndQuotesBadText() {
    assertThatThrownBy(() -> Durations.parse("soon", "--warm-up")).hasMessage(
        "--warm-up must be a duration such as 5s or 500ms, got 'soon'");
    assertThatThrownBy(() -> Durations.parse("5 fortnights", "--duration")).hasMessageContaining("unknown unit 'fortnights'");
    assertThatThrownBy(() -> Durations.parse("-1s", "--duration")).hasMessageContaining("'-1s'");
  }
}
