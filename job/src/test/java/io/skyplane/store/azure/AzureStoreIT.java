package io.skyplane.store.azure;

import com.azure.storage.blob.BlobServiceClientBuilder;
import io.skyplane.store.CloudStoreCases;
import io.skyplane.store.ObjectStore;
import io.skyplane.testing.servers.AzuriteExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
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

  @Override
  protected ObjectStore newStore() {
    AzureStoreFactory factory = new AzureStoreFactory(
        name -> VARIABLE.equals(name) ? AZURE.endpoint().connectionString() : null);
    return factory.open(AzureStoreFactory.locate(
        "azure://" + AZURE.endpoint().accountName() + "/" + CONTAINER,
        Map.of("connection-string-env", VARIABLE)).spec());
  }
}
