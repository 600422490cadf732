package io.skyplane.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.StorageException;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreException.Kind;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class GcsErrorsTest {
  private static final String URI = "gs://b/k";

  @Test
  void mapsStatusCodesToKinds() {
    assertThat(kind(404)).isEqualTo(Kind.NOT_FOUND);
    assertThat(kind(403)).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(kind(412)).isEqualTo(Kind.ALREADY_EXISTS);
    assertThat(kind(429)).isEqualTo(Kind.THROTTLED);
    assertThat(kind(503)).isEqualTo(Kind.THROTTLED);
    assertThat(kind(500)).isEqualTo(Kind.RETRYABLE);
    assertThat(kind(502)).isEqualTo(Kind.RETRYABLE);
    assertThat(kind(401)).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(kind(400)).isEqualTo(Kind.FATAL);
  }

  @Test
  void namesTheActionAndTheUri() {
    StoreException e = GcsErrors.translate("read", URI, new StorageException(429, "slow down"));
    assertThat(e.getMessage()).isEqualTo("cannot read gs://b/k: throttled, retries exhausted (HTTP 429)");
    assertThat(e.isRetryable()).isTrue();
    assertThat(GcsErrors.translate("put", URI, new IOException("reset")).kind())
        .isEqualTo(Kind.RETRYABLE);
    assertThat(GcsErrors.translate("put", URI, new RuntimeException(new StorageException(404, "x")))
        .kind()).isEqualTo(Kind.NOT_FOUND);
  }

  @Test
  void failuresWithoutAnAnswerAreRetryable() {
    // What the client throws when a connection breaks: code 0 around the I/O failure.
    var reset = new StorageException(0, "Connection reset", new java.net.SocketException("Connection reset"));
    assertThat(GcsErrors.translate("list", URI, reset).kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(GcsErrors.translate("read", URI,
        new java.io.UncheckedIOException(new java.net.SocketTimeoutException("Read timed out"))).kind())
        .isEqualTo(Kind.RETRYABLE);
  }

  @Test
  void retriesAreCountedByCause() {
    assertThat(GcsRetries.cause(new StorageException(429, "x"))).isEqualTo(io.skyplane.store.RetryCounter.Cause.THROTTLED);
    assertThat(GcsRetries.cause(new StorageException(503, "x"))).isEqualTo(io.skyplane.store.RetryCounter.Cause.THROTTLED);
    assertThat(GcsRetries.cause(new StorageException(500, "x"))).isEqualTo(io.skyplane.store.RetryCounter.Cause.SERVER_ERROR);
    assertThat(GcsRetries.cause(new StorageException(0, "x", new java.io.IOException("reset"))))
        .isEqualTo(io.skyplane.store.RetryCounter.Cause.NETWORK);
  }

  @Test
  void retrySettingsFollowTheStoreOptions() throws Exception {
    var settings = GcsStoreFactory.retrySettings(io.skyplane.store.RequestSettings.from(
        new io.skyplane.store.StoreSpec("gs", "b", java.util.Map.of("attempts", "4", "request-timeout", "5s"))));
    assertThat(settings.getMaxAttempts()).isEqualTo(4);
    assertThat(settings.isJittered()).isTrue();
    assertThat(settings.getTotalTimeoutDuration()).isEqualTo(java.time.Duration.ofSeconds(4 * (5 + 20)));
  }

  private static Kind kind(int code) {
    return GcsErrors.translate("stat", URI, new StorageException(code, "m")).kind();
  }
}
