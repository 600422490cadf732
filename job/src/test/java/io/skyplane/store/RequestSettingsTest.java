package io.skyplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestSettingsTest {
  private static RequestSettings of(Map<String, String> options) throws StoreException {
    return RequestSettings.from(new StoreSpec("s3", "bucket", options));
  }

  @Test
  void defaultsWhenNothingIsSet() throws StoreException {
    RequestSettings settings = of(Map.of("endpoint", "http://x"));
    assertThat(settings).isEqualTo(RequestSettings.DEFAULTS);
    assertThat(settings.attempts()).isEqualTo(10);
    assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void readsEveryOption() throws StoreException {
    RequestSettings settings = of(Map.of("attempts", "3", "connect-timeout", "500ms",
        "request-timeout", "2m", "idle-timeout", " 3s "));
    assertThat(settings).isEqualTo(new RequestSettings(3, Duration.ofMillis(500), Duration.ofMinutes(2),
        Duration.ofSeconds(3)));
    assertThat(of(Map.of("idle-timeout", "1h")).idleTimeout()).isEqualTo(Duration.ofHours(1));
  }

  @ParameterizedTest
  @CsvSource({"attempts, 0", "attempts, 101", "attempts, ten", "idle-timeout, 30", "idle-timeout, 0s",
      "request-timeout, -5s", "connect-timeout, 1.5s", "connect-timeout, 3 days"})
  void refusesBadValuesNamingTheOptionAndTheStore(String option, String value) {
    assertThatThrownBy(() -> of(Map.of(option, value))).isInstanceOfSatisfying(StoreException.class, e -> {
      assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL);
      assertThat(e.getMessage()).contains("s3://bucket").contains("option " + option).contains(value.trim());
    });
  }

  @Test
  void anUploadGetsASecondMorePerMebibyte() {
    RequestSettings settings = RequestSettings.DEFAULTS;
    assertThat(settings.uploadTimeout(0)).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.uploadTimeout(64L << 20)).isEqualTo(Duration.ofSeconds(124));
  }

  @Test
  void retryCountsAddUp() {
    RetryCounts a = new RetryCounts(1, 2, 3, 4);
    assertThat(a.plus(new RetryCounts(10, 20, 30, 40))).isEqualTo(new RetryCounts(11, 22, 33, 44));
    assertThat(a.plus(RetryCounts.ZERO)).isEqualTo(a);
    assertThat(a.retries()).isEqualTo(6);
    RetryCounter counter = new RetryCounter();
    counter.retried(RetryCounter.Cause.THROTTLED);
    counter.retried(RetryCounter.Cause.NETWORK);
    counter.resumedRead();
    assertThat(counter.retryCounts()).isEqualTo(new RetryCounts(1, 0, 1, 1));
  }
}
