package io.skyplane.store.gcs;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStoreConformance;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreSpec;
import io.skyplane.testing.servers.GcsServerExtension;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The conformance suite on our GCS JSON-API server, each test in a fresh bucket. */
class GcsStoreConformanceIT extends ObjectStoreConformance {
  @RegisterExtension
  static final GcsServerExtension GCS = GcsServerExtension.shared();

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private static ObjectStore open(String bucket) throws Exception {
    return ObjectStores.open(new StoreSpec("gs", bucket, Map.of(
        "endpoint", GCS.endpoint().endpoint().toString(),
        "project", GCS.endpoint().projectId(),
        "anonymous", "true")));
  }

  @Override
  protected ObjectStore newStore() throws Exception {
    String bucket = "conformance-" + BUCKETS.incrementAndGet();
    try (Storage storage = StorageOptions.http().setHost(GCS.endpoint().endpoint().toString())
        .setProjectId(GCS.endpoint().projectId()).setCredentials(NoCredentials.getInstance())
        .build().getService()) {
      storage.create(BucketInfo.of(bucket));
    }
    return open(bucket);
  }

  @Override
  protected ObjectStore storeWithoutBucket() throws Exception {
    return open("never-created");
  }

  /**
   * GCS (parts are temporary objects) keeps no server-side state for an upload: it exists through its parts, so an upload without
   * parts is not pending, and a part that arrives after an abort stays until a second abort sweeps it.
   */
  @Override
  protected boolean tracksUploadsWithoutParts() {
    return false;
  }

  @Override
  protected boolean listsUploadTemporaries() {
    return true; // the transfer owning them decides what to do with them; nothing is hidden
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
