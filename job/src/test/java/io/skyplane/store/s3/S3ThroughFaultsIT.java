package io.skyplane.store.s3;

import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreFaultScenarios;
import io.skyplane.store.StoreSpec;
import io.skyplane.testing.faults.FaultSpec;
import io.skyplane.testing.servers.FaultProxyExtension;
import io.skyplane.testing.servers.S3Endpoint;
import io.skyplane.testing.servers.S3ServerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The fault scenarios on S3Proxy behind the fault proxy. */
class S3ThroughFaultsIT extends StoreFaultScenarios {
  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();
  @RegisterExtension static final FaultProxyExtension<S3Endpoint> FAULTS =
      new FaultProxyExtension<>(S3, FaultSpec.none());
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @BeforeAll
  static void credentials() {
    // the store's default credential chain reads them
    System.setProperty("aws.accessKeyId", S3.endpoint().accessKey());
    System.setProperty("aws.secretAccessKey", S3.endpoint().secretKey());
  }

  @Override
  protected FaultProxyExtension<?> faults() {
    return FAULTS;
  }

  @Override
  protected ObjectStore openThroughProxy(Map<String, String> options) throws Exception {
    S3Endpoint direct = FAULTS.upstream();
    String bucket = "faults-" + BUCKETS.incrementAndGet();
    try (S3Client admin = S3Client.builder().endpointOverride(direct.endpoint()).forcePathStyle(true)
        .region(Region.of(direct.region())).credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(direct.accessKey(), direct.secretKey()))).build()) {
      admin.createBucket(b -> b.bucket(bucket));
    }
    Map<String, String> all = new HashMap<>(options);
    all.put("endpoint", FAULTS.endpoint().endpoint().toString());
    all.put("path-style", "true");
    all.put("region", direct.region());
    return ObjectStores.open(new StoreSpec("s3", bucket, all));
  }

  @Override
  protected String readTarget(String key) {
    return "/" + key + "$";
  }

  /**
   * The adaptive strategy's throttling back-off (1 s doubling, full jitter) before tries 2..n, and
   * its client-side rate limit, which lets a throttled client send at 0.5 requests/s at the least.
   */
  @Override
  protected Duration longestThrottledBackoff(int attempts) {
    Duration total = Duration.ZERO;
    for (int attempt = 2; attempt <= attempts; attempt++) {
      total = total.plusMillis(Math.min(S3StoreFactory.MAX_DELAY_MILLIS,
          S3StoreFactory.THROTTLING_BASE_DELAY_MILLIS << (attempt - 2))).plusSeconds(2);
    }
    return total;
  }
}
