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

  @Test
  void refusesWhatDoesNotFitAndChecksRanges() {
    assertThatThrownBy(() -> Durations.parse("99999999999999999999h", "--duration"))
        .hasMessage("--duration '99999999999999999999h' is too long (at most 365 days)");
    assertThat(Durations.parse("100ms", "--duration", Duration.ofMillis(100), Duration.ofHours(1)))
        .isEqualTo(Duration.ofMillis(100));
    assertThat(Durations.parse("1h", "--duration", Duration.ofMillis(100), Duration.ofHours(1)))
        .isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> Durations.parse("99ms", "--duration", Duration.ofMillis(100), Duration.ofHours(1)))
        .hasMessage("--duration must be between 100ms and 1h, got '99ms'");
    assertThatThrownBy(() -> Durations.parse("61min", "--duration", Duration.ofMillis(100), Duration.ofHours(1)))
        .hasMessage("--duration must be between 100ms and 1h, got '61min'");
  }
}
