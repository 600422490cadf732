package io.skyplane.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import io.skyplane.store.Crc32c;
import io.skyplane.store.MultipartUpload;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStoreConformance;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreSpec;
import io.skyplane.testing.servers.AzuriteExtension;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The conformance suite on Azurite, each test in a fresh container, with the connection string
 * from a (test) environment variable; plus the secret-handling check.
 */
class AzureStoreConformanceIT extends ObjectStoreConformance {
  @RegisterExtension static final AzuriteExtension AZURE = AzuriteExtension.shared();

  private static final String VARIABLE = "TEST_AZURITE_CONNECTION_STRING";
  private static final AtomicInteger CONTAINERS = new AtomicInteger();

  private static ObjectStore open(String container, String connectionString) throws StoreException {
    StoreSpec spec = AzureStoreFactory.locate(
        "azure://" + AZURE.endpoint().accountName() + "/" + container,
        Map.of("connection-string-env", VARIABLE)).spec();
    return new AzureStoreFactory(name -> VARIABLE.equals(name) ? connectionString : null).open(spec);
  }

  @Override
  protected ObjectStore newStore() throws StoreException {
    String container = "conformance-" + CONTAINERS.incrementAndGet();
    new BlobServiceClientBuilder().connectionString(AZURE.endpoint().connectionString())
        .buildClient().createBlobContainer(container);
    return open(container, AZURE.endpoint().connectionString());
  }

  @Override
  protected ObjectStore storeWithoutBucket() throws StoreException {
    return open("never-created", AZURE.endpoint().connectionString());
  }

  @Test
  void aWrongKeyIsAccessDeniedAndTheSecretStaysOut() throws Exception {
    String wrongKey = Base64.getEncoder().encodeToString(new byte[64]);
    String connection = AZURE.endpoint().connectionString().replace(AZURE.endpoint().accountKey(), wrongKey);
    StoreSpec spec = AzureStoreFactory.locate("azure://" + AZURE.endpoint().accountName() + "/any",
        Map.of("connection-string-env", VARIABLE)).spec();
    assertThat(spec.toString()).doesNotContain(AZURE.endpoint().accountKey());
    ObjectStore wrong = open("any", connection);
    assertThatThrownBy(() -> wrong.stat("x"))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(StoreException.Kind.ACCESS_DENIED);
          assertThat(e.getMessage()).contains(wrong.uri("x")).doesNotContain(wrongKey);
        });
  }

  /**
   * An abort killed between committing its empty placeholder and deleting it leaves a 0-byte object;
   * it must count as an unfinished upload, so the client's sweep after a failed run removes it.
   */
  @Test
  void aPlaceholderLeftByAnInterruptedAbortIsPendingAndTheSweepDeletesIt() throws Exception {
    String container = "placeholder-" + CONTAINERS.incrementAndGet();
    BlobContainerClient raw = new BlobServiceClientBuilder()
        .connectionString(AZURE.endpoint().connectionString()).buildClient().createBlobContainer(container);
    try (ObjectStore store = open(container, AZURE.endpoint().connectionString())) {
      MultipartUpload upload = store.multipart().create("dir/victim");
      byte[] part = new byte[1024];
      store.multipart().upload(upload, 1, 0, part, 0, part.length, Crc32c.of(part, 0, part.length));
      // the first half of abort, as a killed TaskManager would leave it
      raw.getBlobClient("dir/victim").getBlockBlobClient().commitBlockListWithResponse(
          new BlockBlobCommitBlockListOptions(List.of())
              .setMetadata(Map.of(AzureMultipartWriter.ABORT_METADATA, upload.uploadId()))
              .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")), null, null);
      assertThat(store.stat("dir/victim")).hasValueSatisfying(info -> assertThat(info.size()).isZero());

      List<MultipartUpload> pending = store.multipart().pending("dir/");
      assertThat(pending).extracting(MultipartUpload::key, MultipartUpload::uploadId)
          .containsExactly(tuple("dir/victim", upload.uploadId()));
      assertThat(pending.get(0).startedMillis()).isEqualTo(upload.startedMillis());
      store.multipart().abort(pending.get(0));

      assertThat(store.stat("dir/victim")).isEmpty();
      assertThat(store.multipart().pending("dir/")).isEmpty();
      // a real object is never taken for a placeholder
      store.put("dir/empty", new byte[0], 0, 0, Crc32c.of(new byte[0], 0, 0));
      assertThat(store.multipart().pending("dir/")).isEmpty();
    }
  }

  /**
   * Azure (parts are uncommitted blocks) keeps no server-side state for an upload: it exists through its parts, so an upload without
   * parts is not pending, and a part that arrives after an abort stays until a second abort sweeps it.
   */
  @Override
  protected boolean tracksUploadsWithoutParts() {
    return false;
  }

  @Override
  protected boolean partsAfterAbortNeedASweep() {
    return true;
  }

  @Override
  protected boolean rejectsPartsOfAbortedUploads() {
    return false;
  }
}
