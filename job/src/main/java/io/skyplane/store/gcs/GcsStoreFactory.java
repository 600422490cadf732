package io.skyplane.store.gcs;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.StorageRetryStrategy;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreException.Kind;
import io.skyplane.store.StoreFactory;
import io.skyplane.store.StoreSpec;
import java.io.IOException;

/**
 * Opens {@code gs://bucket} stores. Options: {@code endpoint} (e.g. a local server,
 * {@code http://127.0.0.1:PORT}), {@code project}, {@code anonymous} ({@code true}: no
 * credentials, for test servers). Otherwise credentials are Google's application-default
 * credentials, resolved on the worker.
 *
 * <p>Retries are the SDK's (exponential backoff); every request we send may be retried safely
 * (whole-object writes of the same bytes, compose with a generation precondition, deletes), so
 * the uniform retry strategy is used instead of retrying only calls the SDK deems idempotent.
 */
public final class GcsStoreFactory implements StoreFactory {
  public static final String SCHEME = "gs";

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public ObjectStore open(StoreSpec spec) throws IOException {
    if (!SCHEME.equals(spec.scheme())) {
      throw new IllegalArgumentException("not a gs:// spec: " + spec.scheme() + "://" + spec.bucket());
    }
    if (spec.bucket().isEmpty() || spec.bucket().contains("/")) {
      throw new IllegalArgumentException("bad bucket in gs://" + spec.bucket());
    }
    StorageOptions.Builder options = StorageOptions.http()
        .setStorageRetryStrategy(StorageRetryStrategy.getUniformStorageRetryStrategy());
    String endpoint = spec.option("endpoint", "");
    if (!endpoint.isEmpty()) {
      options.setHost(endpoint);
    }
    String project = spec.option("project", "");
    if (!project.isEmpty()) {
      options.setProjectId(project);
    }
    if (Boolean.parseBoolean(spec.option("anonymous", "false"))) {
      options.setCredentials(NoCredentials.getInstance());
    } else {
      try {
        options.setCredentials(GoogleCredentials.getApplicationDefault());
      } catch (IOException e) {
        throw new StoreException(Kind.ACCESS_DENIED, "cannot open gs://" + spec.bucket()
            + ": no application-default credentials (" + e.getClass().getSimpleName() + ")", e);
      }
    }
    return new GcsStore(options.build().getService(), spec.bucket());
  }
}
