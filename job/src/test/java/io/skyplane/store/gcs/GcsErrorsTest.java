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
    assertThat(kind(503)).isEqualTo(Kind.RETRYABLE);
    assertThat(kind(400)).isEqualTo(Kind.FATAL);
  }

  @Test
  void namesTheActionAndTheUri() {
    StoreException e = GcsErrors.translate("read", URI, new StorageException(429, "slow down"));
    assertThat(e.getMessage()).isEqualTo("cannot read gs://b/k: throttled (HTTP 429)");
    assertThat(e.isRetryable()).isTrue();
    assertThat(GcsErrors.translate("put", URI, new IOException("reset")).kind())
        .isEqualTo(Kind.RETRYABLE);
    assertThat(GcsErrors.translate("put", URI, new RuntimeException(new StorageException(404, "x")))
        .kind()).isEqualTo(Kind.NOT_FOUND);
  }

  private static Kind kind(int code) {
    return GcsErrors.translate("stat", URI, new StorageException(code, "m")).kind();
  }
}
