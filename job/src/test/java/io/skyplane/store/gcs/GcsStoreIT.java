package io.skyplane.store.gcs;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.skyplane.store.CloudStoreCases;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.StoreSpec;
import io.skyplane.testing.servers.GcsServerExtension;
import io.skyplane.testing.servers.ServerOptions;
import java.io.IOException;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gs:// store against our GCS JSON-API server. */
class GcsStoreIT extends CloudStoreCases {
  @RegisterExtension
  static final GcsServerExtension GCS = new GcsServerExtension(ServerOptions.loopback().withHeap("256m"));

  private static final String BUCKET = "conformance";

  @BeforeAll
  static void bucket() throws Exception {
    try (Storage storage = StorageOptions.http().setHost(GCS.endpoint().endpoint().toString())
        .setProjectId(GCS.endpoint().projectId()).setCredentials(NoCredentials.getInstance())
        .build().getService()) {
      storage.create(BucketInfo.of(BUCKET));
    }
  }

  @Override
  protected ObjectStore newStore() throws IOException {
    StoreSpec spec = new StoreSpec("gs", BUCKET, Map.of(
        "endpoint", GCS.endpoint().endpoint().toString(),
        "project", GCS.endpoint().projectId(),
        "anonymous", "true"));
    return ServiceLoader.load(io.skyplane.store.StoreFactory.class).stream()
        .map(ServiceLoader.Provider::get).filter(f -> f.scheme().equals("gs")).findFirst()
        .orElseThrow().open(spec);
  }
}
