package io.skyplane.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceClientBuilder;
import io.skyplane.store.CloudStoreCases;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreSpec;
import io.skyplane.testing.servers.AzuriteExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The azure:// store against Azurite, with a connection string from a (test) environment variable. */
class AzureStoreIT extends CloudStoreCases {
  @RegisterExtension static final AzuriteExtension AZURE = new AzuriteExtension();

  private static final String CONTAINER = "conformance";
  private static final String VARIABLE = "TEST_AZURITE_CONNECTION_STRING";

  @BeforeAll
  static void container() {
    new BlobServiceClientBuilder().connectionString(AZURE.endpoint().connectionString())
        .buildClient().createBlobContainer(CONTAINER);
  }

  @Test
  void aWrongKeyIsAccessDeniedAndTheSecretStaysOut() {
    String wrongKey = java.util.Base64.getEncoder().encodeToString(new byte[64]);
    String connection = AZURE.endpoint().connectionString()
        .replace(AZURE.endpoint().accountKey(), wrongKey);
    StoreSpec spec = AzureStoreFactory.locate("azure://" + AZURE.endpoint().accountName() + "/"
        + CONTAINER, Map.of("connection-string-env", VARIABLE)).spec();
    assertThat(spec.toString()).doesNotContain(AZURE.endpoint().accountKey());
    ObjectStore wrong = new AzureStoreFactory(name -> VARIABLE.equals(name) ? connection : null)
        .open(spec);
    assertThatThrownBy(() -> wrong.stat(base + "x"))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(StoreException.Kind.ACCESS_DENIED);
          assertThat(e.getMessage()).contains(wrong.uri(base + "x")).doesNotContain(wrongKey);
        });
  }

  @Override
  protected ObjectStore newStore() {
    AzureStoreFactory factory = new AzureStoreFactory(
        name -> VARIABLE.equals(name) ? AZURE.endpoint().connectionString() : null);
    return factory.open(AzureStoreFactory.locate(
        "azure://" + AZURE.endpoint().accountName() + "/" + CONTAINER,
        Map.of("connection-string-env", VARIABLE)).spec());
  }
}
