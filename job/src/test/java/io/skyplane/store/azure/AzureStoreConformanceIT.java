package io.skyplane.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceClientBuilder;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStoreConformance;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreSpec;
import io.skyplane.testing.servers.AzuriteExtension;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The conformance suite on Azurite, each test in a fresh container, with the connection string
 * from a (test) environment variable; plus the secret-handling check.
 */
class AzureStoreConformanceIT extends ObjectStoreConformance {
  @RegisterExtension static final AzuriteExtension AZURE = new AzuriteExtension();

  private static final String VARIABLE = "TEST_AZURITE_CONNECTION_STRING";
  private static final AtomicInteger CONTAINERS = new AtomicInteger();

  private static ObjectStore open(String container, String connectionString) {
    StoreSpec spec = AzureStoreFactory.locate(
        "azure://" + AZURE.endpoint().accountName() + "/" + container,
        Map.of("connection-string-env", VARIABLE)).spec();
    return new AzureStoreFactory(name -> VARIABLE.equals(name) ? connectionString : null).open(spec);
  }

  @Override
  protected ObjectStore newStore() {
    String container = "conformance-" + CONTAINERS.incrementAndGet();
    new BlobServiceClientBuilder().connectionString(AZURE.endpoint().connectionString())
        .buildClient().createBlobContainer(container);
    return open(container, AZURE.endpoint().connectionString());
  }

  @Override
  protected ObjectStore storeWithoutBucket() {
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
