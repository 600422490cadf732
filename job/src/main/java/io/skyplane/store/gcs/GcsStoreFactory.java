package io.skyplane.store.gcs;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.StorageOptions;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.RequestSettings;
import io.skyplane.store.RetryCounter;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreException.Kind;
import io.skyplane.store.StoreFactory;
import io.skyplane.store.StoreSpec;
import java.io.IOException;
import java.time.Duration;

/**
 * Opens {@code gs://bucket} stores. Options: {@code endpoint} (e.g. a local server,
 * {@code http://127.0.0.1:PORT}), {@code project}, {@code anonymous} ({@code true}: no
 * credentials, for test servers), and the {@link RequestSettings} ({@code attempts}, {@code
 * connect-timeout}, {@code request-timeout}, {@code idle-timeout}). Otherwise credentials are
 * Google's application-default credentials, resolved on the worker.
 *
 * <p>Retries are the SDK's: {@code attempts} tries with exponential back-off and jitter, within a
 * total of {@code attempts} times ({@code request-timeout} + the longest delay). The client's own
 * back-off (google-cloud-storage 2.63 {@code Backoff}) starts at {@value #BASE_DELAY_MILLIS} ms and
 * makes each delay the previous one times 2 plus a random part of up to as much again, capped at
 * {@value #MAX_DELAY_MILLIS} ms. Every request we send may be
 * retried safely (whole-object writes of the same bytes, compose with a generation precondition,
 * deletes), so the uniform retry strategy is used instead of retrying only calls the SDK deems
 * idempotent ({@link GcsRetries}, which also counts the retries). HTTP: {@code connect-timeout},
 * {@code idle-timeout} as the socket read timeout, and request bodies must be written within
 * {@link RequestSettings#uploadTimeout} ({@link GcsTransportOptions}); the client has no per-try
 * limit on the time to an answer of a request without a body, only the idle timeout.
 */
public final class GcsStoreFactory implements StoreFactory {
  public static final String SCHEME = "gs";
  static final long BASE_DELAY_MILLIS = 250;
  static final long MAX_DELAY_MILLIS = 20_000;

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
      throw new StoreException(Kind.FATAL, "cannot open gs://" + spec.bucket()
          + ": a bucket name is required and has no '/'");
    }
    RequestSettings requests = RequestSettings.from(spec);
    RetryCounter counter = new RetryCounter();
    GcsRetries retries = new GcsRetries(counter);
    StorageOptions.Builder options = StorageOptions.http()
        .setStorageRetryStrategy(retries)
        .setRetrySettings(retrySettings(requests))
        .setTransportOptions(new GcsTransportOptions(requests));
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
    return new GcsStore(options.build().getService(), spec.bucket(), requests, retries, counter);
  }

  static RetrySettings retrySettings(RequestSettings requests) {
    Duration maxDelay = Duration.ofMillis(MAX_DELAY_MILLIS);
    return RetrySettings.newBuilder()
        .setMaxAttempts(requests.attempts())
        .setInitialRetryDelayDuration(Duration.ofMillis(BASE_DELAY_MILLIS))
        .setRetryDelayMultiplier(2.0)
        .setMaxRetryDelayDuration(maxDelay)
        .setJittered(true)
        .setTotalTimeoutDuration(requests.requestTimeout().plus(maxDelay).multipliedBy(requests.attempts()))
        .setInitialRpcTimeoutDuration(requests.requestTimeout())
        .setRpcTimeoutMultiplier(1.0)
        .setMaxRpcTimeoutDuration(requests.requestTimeout())
        .build();
  }
}
