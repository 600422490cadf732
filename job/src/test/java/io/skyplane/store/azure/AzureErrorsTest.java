package io.skyplane.store.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.store.StoreException.Kind;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class AzureErrorsTest {
  @Test
  void mapsStatusesToKinds() {
    assertThat(AzureErrors.kind(404)).isEqualTo(Kind.NOT_FOUND);
    assertThat(AzureErrors.kind(403)).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(AzureErrors.kind(409)).isEqualTo(Kind.ALREADY_EXISTS);
    assertThat(AzureErrors.kind(503)).isEqualTo(Kind.THROTTLED);
    assertThat(AzureErrors.kind(500)).isEqualTo(Kind.RETRYABLE);
    assertThat(AzureErrors.kind(400)).isEqualTo(Kind.FATAL);
  }

  @Test
  void networkFailuresAreRetryableAndNameTheUri() {
    var e = AzureErrors.translate("read", "azure://a/c/k",
        new UncheckedIOException(new java.io.IOException("connection reset")));
    assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(e.getMessage()).startsWith("cannot read azure://a/c/k: ");
    // deep in the causes, as the reactive download path wraps them
    var deep = new RuntimeException(new IllegalStateException(new java.net.http.HttpTimeoutException("request timed out")));
    assertThat(AzureErrors.translate("read", "azure://a/c/k", deep).kind()).isEqualTo(Kind.RETRYABLE);
    // an overall call timeout (Mono.block(timeout))
    var blocked = new IllegalStateException("Timeout on blocking read for 1000 MILLISECONDS");
    assertThat(AzureErrors.translate("put", "azure://a/c/k", blocked).kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(AzureErrors.translate("put", "azure://a/c/k", new IllegalStateException("bug")).kind())
        .isEqualTo(Kind.FATAL);
  }

  @Test
  void missingCredentialsAreAccessDenied() {
    var e = AzureErrors.translate("list", "azure://a/c/", new RuntimeException(
        new com.azure.core.exception.ClientAuthenticationException("no credential found", null)));
    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(e.getMessage()).startsWith("cannot list azure://a/c/: access denied");
  }

  @Test
  void jitterIsAtMostHalfTheSdksDelay() {
    var policy = new AzureTryPolicy(new io.skyplane.store.RetryCounter(), 10,
        java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(20));
    assertThat(policy.jitterMillis(1)).isZero();
    for (int i = 0; i < 200; i++) {
      assertThat(policy.jitterMillis(2)).isBetween(0L, 250L); // the SDK waits 500 ms before try 2
      assertThat(policy.jitterMillis(4)).isBetween(0L, 1750L); // 3.5 s before try 4
      assertThat(policy.jitterMillis(20)).isBetween(0L, 10_000L); // capped at 20 s
    }
  }
}
