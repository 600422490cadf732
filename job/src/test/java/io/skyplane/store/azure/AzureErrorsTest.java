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
  }
}
