package io.skyplane.store.gcs;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreFaultScenarios;
import io.skyplane.store.StoreSpec;
import io.skyplane.testing.faults.FaultSpec;
import io.skyplane.testing.servers.FaultProxyExtension;
import io.skyplane.testing.servers.GcsEndpoint;
import io.skyplane.testing.servers.GcsServerExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fault scenarios on our GCS server behind the fault proxy. */
class GcsThroughFaultsIT extends StoreFaultScenarios {
  @RegisterExtension
  static final GcsServerExtension GCS = GcsServerExtension.shared();
  @RegisterExtension static final FaultProxyExtension<GcsEndpoint> FAULTS =
      new FaultProxyExtension<>(GCS, FaultSpec.none());
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @Override
  protected FaultProxyExtension<?> faults() {
    return FAULTS;
  }

  @Override
  protected ObjectStore openThroughProxy(Map<String, String> options) throws Exception {
    GcsEndpoint direct = FAULTS.upstream();
    String bucket = "faults-" + BUCKETS.incrementAndGet();
    try (Storage admin = StorageOptions.http().setHost(direct.endpoint().toString())
        .setProjectId(direct.projectId()).setCredentials(NoCredentials.getInstance()).build().getService()) {
      admin.create(BucketInfo.of(bucket));
    }
    Map<String, String> all = new HashMap<>(options);
    all.put("endpoint", FAULTS.endpoint().endpoint().toString());
    all.put("project", direct.projectId());
    all.put("anonymous", "true");
    return ObjectStores.open(new StoreSpec("gs", bucket, all));
  }

  /** Media downloads ({@code alt=media}) of the object, whose name is escaped in the path. */
  @Override
  protected String readTarget(String key) {
    return Pattern.quote(URLEncoder.encode(key, StandardCharsets.UTF_8)) + ".*alt=media";
  }

  /**
   * The client's own back-off (google-cloud-storage's {@code Backoff}, from our RetrySettings): each
   * delay is the previous one times 2 plus a random part of up to as much again, so at most 4 times
   * the one before (the first at most twice 250 ms), capped at 20 s.
   */
  @Override
  protected Duration longestThrottledBackoff(int attempts) {
    Duration total = Duration.ZERO;
    long delay = 2 * GcsStoreFactory.BASE_DELAY_MILLIS;
    for (int retry = 0; retry < attempts - 1; retry++) {
      total = total.plusMillis(delay);
      delay = Math.min(GcsStoreFactory.MAX_DELAY_MILLIS, 4 * delay);
    }
    return total;
  }
}
