package io.skyplane.testing.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.NoCredentials;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import io.skyplane.testing.faults.FaultKind;
import io.skyplane.testing.faults.FaultStats;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * google-cloud-storage against the project's GCS server through the fault proxy: transparent
 * without faults (multipart and resumable uploads byte-identical), and each fault as the client
 * sees it (429 rateLimitExceeded, 500 backendError, resets, stalls).
 */
class GcsFaultProxyIT {
  @RegisterExtension static final GcsServerExtension GCS = new GcsServerExtension();
  @RegisterExtension static final FaultProxyExtension<GcsEndpoint> PROXY =
      new FaultProxyExtension<>(GCS);

  private static final String BUCKET = "faults";
  /** Through the proxy, 4 attempts 20 ms apart. */
  private static Storage retrying;
  /** Through the proxy, one attempt. */
  private static Storage once;
  /** Straight to the GCS server. */
  private static Storage direct;

  @BeforeAll
  static void clients() {
    retrying = storage(PROXY.endpoint(), 4);
    once = storage(PROXY.endpoint(), 1);
    direct = storage(PROXY.upstream(), 1);
    once.create(BucketInfo.of(BUCKET));
  }

  @AfterAll
  static void closeClients() throws Exception {
    retrying.close();
    once.close();
    direct.close();
  }

  @Test
  void multipartAndResumableUploadsAreByteIdenticalThroughTheProxy() throws Exception {
    byte[] data = GcsJavaClientIT.random((6 << 20) + 9, 31);
    once.create(BlobInfo.newBuilder(BUCKET, "plain").build(), data);
    assertThat(once.readAllBytes(BlobId.of(BUCKET, "plain"))).isEqualTo(data);
    assertThat(direct.readAllBytes(BlobId.of(BUCKET, "plain"))).isEqualTo(data);
    try (WriteChannel writer = once.writer(BlobInfo.newBuilder(BUCKET, "resumable").build())) {
      writer.setChunkSize(256 * 1024);
      for (int off = 0; off < data.length; off += 100_000) {
        writer.write(ByteBuffer.wrap(data, off, Math.min(100_000, data.length - off)));
      }
    }
    assertThat(direct.readAllBytes(BlobId.of(BUCKET, "resumable"))).isEqualTo(data);

    FaultStats stats = PROXY.stats();
    assertThat(stats.injected()).isZero();
    assertThat(stats.proxyErrors()).isZero();
    assertThat(stats.method("PUT")).as("resumable chunks go through the proxy").isPositive();
    assertThat(stats.bytesUpstream()).isGreaterThanOrEqualTo(data.length);
  }

  @Test
  void throttlingIsRateLimitExceededAndTheStoreNeverSeesTheWrite() {
    PROXY.configure("throttle=1");
    assertThatThrownBy(() -> once.create(BlobInfo.newBuilder(BUCKET, "throttled").build(),
        new byte[] {1, 2, 3}))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.getCode()).isEqualTo(429);
          assertThat(e.getReason()).isEqualTo("rateLimitExceeded");
        });
    assertThat(PROXY.stats().count(FaultKind.THROTTLE)).isEqualTo(1);
    assertThat(direct.get(BlobId.of(BUCKET, "throttled"))).isNull();
  }

  @Test
  void internalErrorsAreBackendErrorsAndReadsAreRetriedAway() {
    direct.create(BlobInfo.newBuilder(BUCKET, "small").build(), "small".getBytes());
    PROXY.configure("error=1,methods=GET");
    assertThatThrownBy(() -> once.readAllBytes(BlobId.of(BUCKET, "small")))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.getCode()).isEqualTo(500);
          assertThat(e.getReason()).isEqualTo("backendError");
        });
    PROXY.configure("error=0.4:500+503,methods=GET,seed=6");
    for (int i = 0; i < 8; i++) {
      assertThat(retrying.readAllBytes(BlobId.of(BUCKET, "small"))).isEqualTo("small".getBytes());
    }
    assertThat(PROXY.stats().count(FaultKind.ERROR)).isGreaterThan(1);
  }

  @Test
  void aResetMidReadFailsAOneAttemptClientAndIsRetriedAway() {
    byte[] data = GcsJavaClientIT.random(2 << 20, 32);
    direct.create(BlobInfo.newBuilder(BUCKET, "resets").build(), data);
    PROXY.configure("reset=1:response,methods=GET,path=alt=media,seed=2");
    assertThatThrownBy(() -> once.readAllBytes(BlobId.of(BUCKET, "resets")))
        .isInstanceOf(StorageException.class);
    PROXY.configure("reset=0.5:response,methods=GET,path=alt=media,seed=2");
    for (int i = 0; i < 3; i++) {
      assertThat(retrying.readAllBytes(BlobId.of(BUCKET, "resets"))).isEqualTo(data);
    }
    assertThat(PROXY.stats().count(FaultKind.RESET)).isGreaterThan(1);
  }

  @Test
  void aStallDelaysARead() {
    direct.create(BlobInfo.newBuilder(BUCKET, "slow").build(), "slow".getBytes());
    PROXY.configure("stall=1:1s,methods=GET");
    long t0 = System.nanoTime();
    assertThat(once.readAllBytes(BlobId.of(BUCKET, "slow"))).isEqualTo("slow".getBytes());
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(950),
        Duration.ofSeconds(10));
  }

  @Test
  void aStoreThatOnlyErrorsAndTurningItOffAgain() {
    PROXY.configure("down=503");
    assertThatThrownBy(() -> once.get(BUCKET)).isInstanceOfSatisfying(StorageException.class,
        e -> assertThat(e.getCode()).isEqualTo(503));
    assertThatThrownBy(() -> once.create(BlobInfo.newBuilder(BUCKET, "down").build(),
        new byte[1])).isInstanceOf(StorageException.class);
    PROXY.configure("none");
    assertThat(once.get(BUCKET)).isNotNull();
    assertThat(PROXY.stats().count(FaultKind.DOWN)).isEqualTo(2);
  }

  private static Storage storage(GcsEndpoint e, int attempts) {
    return StorageOptions.http()
        .setHost(e.endpoint().toString())
        .setProjectId(e.projectId())
        .setCredentials(NoCredentials.getInstance())
        .setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(attempts)
            .setInitialRetryDelayDuration(Duration.ofMillis(20))
            .setMaxRetryDelayDuration(Duration.ofMillis(20)).setRetryDelayMultiplier(1.0)
            .setTotalTimeoutDuration(Duration.ofSeconds(60)).build())
        .build()
        .getService();
  }
}
