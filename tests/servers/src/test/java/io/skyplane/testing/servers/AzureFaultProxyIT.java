package io.skyplane.testing.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DownloadRetryOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.skyplane.testing.faults.FaultKind;
import io.skyplane.testing.faults.FaultStats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * azure-storage-blob against Azurite through the fault proxy: transparent without faults, and
 * each fault as the SDK sees it (ServerBusy, InternalError via x-ms-error-code, resets, stalls).
 */
class AzureFaultProxyIT {
  @RegisterExtension static final AzuriteExtension AZURE = new AzuriteExtension();
  @RegisterExtension static final FaultProxyExtension<AzureEndpoint> PROXY =
      new FaultProxyExtension<>(AZURE);

  private static final String CONTAINER = "faults";
  /** Through the proxy, 4 tries 20 ms apart. */
  private static BlobContainerClient retrying;
  /** Through the proxy, one try. */
  private static BlobContainerClient once;
  /** Straight to Azurite. */
  private static BlobContainerClient direct;

  @BeforeAll
  static void clients() {
    assertThat(PROXY.endpoint().endpoint().getPath()).isEqualTo("/" + AzureEndpoint.DEV_ACCOUNT);
    assertThat(PROXY.endpoint().connectionString())
        .contains("BlobEndpoint=" + PROXY.endpoint().endpoint() + ";");
    retrying = container(PROXY.endpoint(), 4);
    once = container(PROXY.endpoint(), 1);
    direct = container(PROXY.upstream(), 1);
    once.create();
  }

  @Test
  void uploadsBlocksAndRangesAreByteIdenticalThroughTheProxy() {
    byte[] data = GcsJavaClientIT.random((6 << 20) + 5, 21);
    once.getBlobClient("plain").upload(BinaryData.fromBytes(data));
    assertThat(once.getBlobClient("plain").downloadContent().toBytes()).isEqualTo(data);
    assertThat(direct.getBlobClient("plain").downloadContent().toBytes()).isEqualTo(data);

    BlockBlobClient blob = once.getBlobClient("blocks").getBlockBlobClient();
    List<String> ids = new ArrayList<>();
    int block = 2 << 20;
    for (int off = 0, n = 0; off < data.length; off += block, n++) {
      String id = Base64.getEncoder().encodeToString(
          String.format("block-%06d", n).getBytes(StandardCharsets.UTF_8));
      int len = Math.min(block, data.length - off);
      blob.stageBlock(id, new ByteArrayInputStream(data, off, len), len);
      ids.add(id);
    }
    blob.commitBlockList(ids);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    blob.downloadStreamWithResponse(out, new BlobRange(3_000_000, 1_000_000L), null, null, false,
        null, null);
    assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(data, 3_000_000, 4_000_000));

    FaultStats stats = PROXY.stats();
    assertThat(stats.injected()).isZero();
    assertThat(stats.proxyErrors()).isZero();
    assertThat(stats.bytesUpstream()).isGreaterThanOrEqualTo(2L * data.length); // + block list
    assertThat(stats.bytesDownstream()).isGreaterThanOrEqualTo(data.length + 1_000_000L);
  }

  @Test
  void throttlingIsServerBusyAndTheStoreNeverSeesTheWrite() {
    PROXY.configure("throttle=1");
    assertThatThrownBy(() -> once.getBlobClient("throttled").upload(BinaryData.fromString("x")))
        .isInstanceOfSatisfying(BlobStorageException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(503);
          assertThat(e.getErrorCode()).isEqualTo(BlobErrorCode.SERVER_BUSY);
        });
    assertThatThrownBy(() -> retrying.getBlobClient("throttled").upload(
        BinaryData.fromString("x"))).isInstanceOf(BlobStorageException.class);
    assertThat(PROXY.stats().count(FaultKind.THROTTLE)).isEqualTo(1 + 4);
    assertThat(direct.getBlobClient("throttled").exists()).isFalse();
  }

  @Test
  void internalErrorsShowInTheHeaderOfAHeadAndAreRetriedAway() {
    direct.getBlobClient("small").upload(BinaryData.fromString("small"));
    PROXY.configure("error=1,methods=HEAD");
    assertThatThrownBy(() -> once.getBlobClient("small").getProperties())
        .isInstanceOfSatisfying(BlobStorageException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(500);
          assertThat(e.getErrorCode()).isEqualTo(BlobErrorCode.INTERNAL_ERROR);
        });
    PROXY.configure("error=0.4:500+503,methods=GET,seed=4");
    for (int i = 0; i < 8; i++) {
      assertThat(retrying.getBlobClient("small").downloadContent().toString()).isEqualTo("small");
    }
    assertThat(PROXY.stats().count(FaultKind.ERROR)).isPositive();
  }

  @Test
  void aResetMidDownloadFailsAOneTryClientAndIsRetriedAway() {
    byte[] data = GcsJavaClientIT.random(2 << 20, 22);
    direct.getBlobClient("resets").upload(BinaryData.fromBytes(data));
    PROXY.configure("reset=1:response,methods=GET,seed=8");
    // downloads resume after a broken body on their own (DownloadRetryOptions, with back-off of
    // seconds); without that the reset reaches the caller
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThatThrownBy(() -> once.getBlobClient("resets").downloadStreamWithResponse(out, null,
        new DownloadRetryOptions().setMaxRetryRequests(0), null, false, null, null))
        .isInstanceOf(RuntimeException.class)
        .rootCause().isInstanceOf(IOException.class).hasMessageContaining("reset");
    assertThat(out.size()).isLessThan(data.length);
    PROXY.configure("reset=0.3:response,methods=GET,seed=8");
    for (int i = 0; i < 3; i++) {
      assertThat(retrying.getBlobClient("resets").downloadContent().toBytes()).isEqualTo(data);
    }
    assertThat(PROXY.stats().count(FaultKind.RESET)).isGreaterThan(1);
  }

  @Test
  void aStallDelaysADownload() {
    direct.getBlobClient("slow").upload(BinaryData.fromString("slow"));
    PROXY.configure("stall=1:1s,methods=GET");
    long t0 = System.nanoTime();
    assertThat(once.getBlobClient("slow").downloadContent().toString()).isEqualTo("slow");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(950),
        Duration.ofSeconds(10));
  }

  @Test
  void aStoreThatOnlyErrorsAndTurningItOffAgain() {
    PROXY.configure("down=503");
    assertThatThrownBy(() -> once.getBlobClient("down").upload(BinaryData.fromString("x")))
        .isInstanceOfSatisfying(BlobStorageException.class,
            e -> assertThat(e.getErrorCode()).isEqualTo(BlobErrorCode.SERVER_BUSY));
    assertThatThrownBy(() -> once.exists()).isInstanceOf(BlobStorageException.class);
    PROXY.configure("none");
    assertThat(once.exists()).isTrue();
    assertThat(PROXY.stats().count(FaultKind.DOWN)).isEqualTo(2);
  }

  private static BlobContainerClient container(AzureEndpoint e, int tries) {
    return new BlobServiceClientBuilder()
        .connectionString(e.connectionString())
        .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, tries, Duration.ofSeconds(30),
            Duration.ofMillis(20), Duration.ofMillis(20), null))
        .buildClient()
        .getBlobContainerClient(CONTAINER);
  }
}
