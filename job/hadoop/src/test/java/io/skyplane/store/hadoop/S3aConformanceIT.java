package io.skyplane.store.hadoop;

import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStoreConformance;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreSpec;
import io.skyplane.testing.servers.S3Endpoint;
import io.skyplane.testing.servers.S3ServerExtension;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The conformance suite on S3A (hadoop-aws, with the AWS SDK modules of target/hadoop-lib rather
 * than the SDK bundle) against S3Proxy, each test in a fresh bucket. As for the job, credentials are
 * not in the spec: S3A reads them from the {@code aws.accessKeyId}/{@code aws.secretAccessKey}
 * system properties through the provider named in {@code fs.s3a.aws.credentials.provider}.
 */
class S3aConformanceIT extends ObjectStoreConformance {
  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @BeforeAll
  static void credentials() {
    System.setProperty("aws.accessKeyId", S3.endpoint().accessKey());
    System.setProperty("aws.secretAccessKey", S3.endpoint().secretKey());
  }

  static StoreSpec spec(String bucket) {
    S3Endpoint e = S3.endpoint();
    return new StoreSpec("s3a", bucket, Map.of(
        "hadoop.fs.s3a.endpoint", e.endpoint().toString(),
        "hadoop.fs.s3a.endpoint.region", e.region(),
        "hadoop.fs.s3a.path.style.access", "true",
        "hadoop.fs.s3a.aws.credentials.provider",
        "software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider",
        "hadoop.fs.s3a.attempts.maximum", "2",
        "hadoop.fs.s3a.retry.limit", "2"));
  }

  private static ObjectStore open(String bucket) throws IOException {
    return ObjectStores.open(spec(bucket));
  }

  @Override
  protected ObjectStore newStore() throws Exception {
    String bucket = "s3a-" + BUCKETS.incrementAndGet();
    S3Endpoint e = S3.endpoint();
    try (S3Client admin = S3Client.builder().endpointOverride(e.endpoint()).forcePathStyle(true)
        .region(Region.of(e.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(e.accessKey(), e.secretKey())))
        .build()) {
      admin.createBucket(b -> b.bucket(bucket));
    }
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
