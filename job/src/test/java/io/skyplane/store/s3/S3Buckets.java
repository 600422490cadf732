package io.skyplane.store.s3;

import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreSpec;
import io.skyplane.testing.servers.S3Endpoint;
import io.skyplane.testing.servers.S3ServerExtension;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3Proxy for a test class, fresh buckets on it, and stores opened the way the job opens them:
 * {@link ObjectStores#open} with a spec, credentials from the SDK's default chain (here the {@code
 * aws.accessKeyId}/{@code aws.secretAccessKey} system properties).
 */
final class S3Buckets implements BeforeAllCallback, AfterAllCallback {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private final S3ServerExtension server = S3ServerExtension.shared();
  private S3Client admin;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (admin != null) {
      return; // a @Nested class of the test class: the server is up already
    }
    server.beforeAll(context);
    S3Endpoint e = server.endpoint();
    System.setProperty("aws.accessKeyId", e.accessKey());
    System.setProperty("aws.secretAccessKey", e.secretKey());
    admin = ((S3Store) open("admin")).client();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (context.getRequiredTestClass().getEnclosingClass() != null) {
      return; // the end of a @Nested class: keep the server for the others
    }
    if (admin != null) {
      admin.close();
      admin = null;
    }
    server.afterAll(context);
  }

  S3Endpoint endpoint() {
    return server.endpoint();
  }

  String create() {
    String bucket = "conformance-" + COUNTER.incrementAndGet();
    admin.createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  StoreSpec spec(String bucket) {
    S3Endpoint e = server.endpoint();
    return new StoreSpec("s3", bucket, Map.of(
        "endpoint", e.endpoint().toString(), "path-style", "true", "region", e.region()));
  }

  ObjectStore open(String bucket) throws IOException {
    return ObjectStores.open(spec(bucket));
  }
}
