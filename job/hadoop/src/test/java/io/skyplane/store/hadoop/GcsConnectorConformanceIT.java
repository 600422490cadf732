package io.skyplane.store.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStoreConformance;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreSpec;
import io.skyplane.testing.servers.GcsServerExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The conformance suite on the gcs-connector ({@code hadoop:gs}, hadoop3-2.2.26 shaded) against our
 * GCS server, anonymous, each test in a fresh bucket. gcs-connector 2.2.26 sends batch requests
 * (deletes, rewrites) to the batch endpoint only with {@code fs.gs.batch.threads=0}.
 */
class GcsConnectorConformanceIT extends ObjectStoreConformance {
  @RegisterExtension
  static final GcsServerExtension GCS = GcsServerExtension.shared();

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private static ObjectStore open(String bucket) throws IOException {
    return ObjectStores.open(new StoreSpec("hadoop:gs", bucket, Map.of(
        "hadoop.fs.gs.impl", "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem",
        "hadoop.fs.gs.project.id", GCS.endpoint().projectId(),
        "hadoop.fs.gs.storage.root.url", GCS.endpoint().endpoint() + "/",
        "hadoop.fs.gs.storage.service.path", "storage/v1/",
        "hadoop.fs.gs.auth.service.account.enable", "false",
        "hadoop.fs.gs.auth.null.enable", "true",
        "hadoop.fs.gs.batch.threads", "0",
        "hadoop.fs.gs.max.requests.per.batch", "20")));
  }

  @Override
  protected ObjectStore newStore() throws Exception {
    String bucket = "gcs-connector-" + BUCKETS.incrementAndGet();
    HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(GCS.endpoint().endpoint() + "/storage/v1/b?project=" + GCS.endpoint().projectId()))
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + bucket + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    return open(bucket);
  }

  @Override
  protected ObjectStore storeWithoutBucket() throws Exception {
    return open("never-created");
  }

  /** Hadoop paths normalise '..' away; the store refuses such keys instead of writing elsewhere. */
  @Override
  protected Optional<StoreException.Kind> dotDotKeyRejection() {
    return Optional.of(StoreException.Kind.FATAL);
  }

  /**
   * A Hadoop path cannot end in '/', so the store refuses marker keys; a file system's directories
   * (and the markers an object store's connector keeps for them) are not listed as objects.
   */
  @Override
  protected Markers directoryMarkers() {
    return Markers.UNSUPPORTED;
  }
}
