package io.skyplane.store.azure;

import static java.util.Objects.requireNonNull;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.RequestSettings;
import io.skyplane.store.RetryCounter;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreFactory;
import io.skyplane.store.StoreSpec;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens Azure Blob containers: {@code azure://ACCOUNT/CONTAINER/prefix} or
 * {@code https://ACCOUNT.blob.core.windows.net/CONTAINER/prefix} ({@link #locate}); the spec's
 * bucket is {@code ACCOUNT/CONTAINER}.
 *
 * <p>Credentials, resolved on the worker, first found wins: a connection string from the
 * environment variable named by option {@code connection-string-env} (default
 * {@code AZURE_STORAGE_CONNECTION_STRING}; for embedded use and tests, a JVM system property of
 * the same name is read when the variable is unset); a SAS token from the variable named by
 * {@code sas-token-env} (default {@code AZURE_STORAGE_SAS_TOKEN}); otherwise
 * {@code DefaultAzureCredential} (environment, workload or managed identity, Azure CLI, ...). Only
 * variable names travel in the spec, never their values. Option {@code endpoint} overrides the
 * account URL (for Azurite: {@code http://127.0.0.1:PORT/devstoreaccount1}). The {@link
 * RequestSettings} options ({@code attempts}, {@code connect-timeout}, {@code request-timeout},
 * {@code idle-timeout}) set retries and timeouts.
 *
 * <p>Retries are the storage SDK's exponential policy: {@code attempts} tries, waiting (2^(n-1) - 1)
 * times {@value #RETRY_DELAY_MILLIS} ms before try n+1 (at most {@value #MAX_RETRY_DELAY_MILLIS}
 * ms), plus up to half that again at random ({@link AzureTryPolicy}, which also counts the retries).
 * The SDK retries 429, 500, 503, I/O failures and timeouts.
 *
 * <p>HTTP goes through the JDK's client (no Netty). azure-core's shared executor is replaced by one
 * that its shutdown hook does not stop ({@link AzureSharedExecutor}), so that a store keeps working
 * in the application's own shutdown hook (an abort on Ctrl-C) instead of hanging. Every try is bounded by
 * the client's timeouts: connect ({@code connect-timeout}), the answer ({@code request-timeout}; an
 * upload gets {@link RequestSettings#uploadTimeout}), and the gaps while a body streams in or out
 * ({@code idle-timeout}). The storage policy's own per-try timeout is not set: on synchronous calls
 * it cannot cut a try short, and on asynchronous ones it would also cut uploads of large blocks.
 */
public final class AzureStoreFactory implements StoreFactory {
  public static final String SCHEME = "azure";
  static final long RETRY_DELAY_MILLIS = 500;
  static final long MAX_RETRY_DELAY_MILLIS = 20_000;
  private static final Pattern AZURE = Pattern.compile("azure://([^/]+)/([^/]+)(?:/(.*))?");
  private static final Pattern HTTPS =
      Pattern.compile("https://([a-z0-9]+)\\.blob\\.core\\.windows\\.net/([^/?#]+)(?:/([^?#]*))?");

  /** Where an Azure URI points: the store's spec and the key prefix inside the container. */
  public record Location(StoreSpec spec, String prefix) {
    public Location {
      requireNonNull(spec, "spec is null");
      requireNonNull(prefix, "prefix is null");
    }
  }

  private final UnaryOperator<String> environment;

  public AzureStoreFactory() {
    this(name -> System.getenv(name) != null ? System.getenv(name) : System.getProperty(name));
  }

  /** For tests: reads "environment variables" from {@code environment}. */
  AzureStoreFactory(UnaryOperator<String> environment) {
    this.environment = requireNonNull(environment, "environment is null");
  }

  /** Parses an {@code azure://} or {@code https://ACCOUNT.blob.core.windows.net/} URI. */
  public static Location locate(String uri, Map<String, String> options) {
    requireNonNull(uri, "uri is null");
    Matcher matcher = AZURE.matcher(uri);
    if (!matcher.matches()) {
      matcher = HTTPS.matcher(uri);
      if (!matcher.matches()) {
        throw new IllegalArgumentException("not an Azure Blob URI (azure://ACCOUNT/CONTAINER/prefix"
            + " or https://ACCOUNT.blob.core.windows.net/CONTAINER/prefix): " + uri);
      }
    }
    String account = matcher.group(1);
    String container = matcher.group(2);
    if (!container.matches("[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?|\\$root")) {
      throw new IllegalArgumentException("bad container name '" + container + "' in " + uri);
    }
    String prefix = matcher.group(3) == null ? "" : matcher.group(3);
    return new Location(new StoreSpec(SCHEME, account + "/" + container, options), prefix);
  }

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public ObjectStore open(StoreSpec spec) throws StoreException {
    if (!SCHEME.equals(spec.scheme())) {
      throw new IllegalArgumentException("not an azure:// spec: " + spec.scheme() + "://" + spec.bucket());
    }
    String[] parts = spec.bucket().split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new StoreException(StoreException.Kind.FATAL,
          "cannot open azure://" + spec.bucket() + ": the bucket must be ACCOUNT/CONTAINER");
    }
    String account = parts[0];
    String endpoint = spec.option("endpoint", "https://" + account + ".blob.core.windows.net");
    try {
      URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new StoreException(StoreException.Kind.FATAL, "cannot open azure://" + spec.bucket()
          + ": option endpoint is not a URL: " + e.getMessage());
    }
    RequestSettings requests = RequestSettings.from(spec);
    RetryCounter counter = new RetryCounter();
    AzureSharedExecutor.install();
    Duration retryDelay = Duration.ofMillis(RETRY_DELAY_MILLIS);
    Duration maxRetryDelay = Duration.ofMillis(MAX_RETRY_DELAY_MILLIS);
    BlobServiceClientBuilder builder = new BlobServiceClientBuilder()
        .httpClient(new JdkHttpClientBuilder()
            .connectionTimeout(requests.connectTimeout())
            .responseTimeout(requests.requestTimeout())
            .readTimeout(requests.idleTimeout())
            .writeTimeout(requests.idleTimeout())
            .build())
        .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, requests.attempts(), (Duration) null,
            retryDelay, maxRetryDelay, null))
        .addPolicy(new AzureTryPolicy(counter, requests.attempts(), retryDelay, maxRetryDelay));
    String connection = environment.apply(
        spec.option("connection-string-env", "AZURE_STORAGE_CONNECTION_STRING"));
    String sas = environment.apply(spec.option("sas-token-env", "AZURE_STORAGE_SAS_TOKEN"));
    BlobServiceClient service;
    try {
      if (connection != null && !connection.isBlank()) {
        builder.connectionString(connection);
        if (spec.options().containsKey("endpoint")) {
          builder.endpoint(endpoint);
        }
      } else if (sas != null && !sas.isBlank()) {
        builder.endpoint(endpoint).sasToken(sas);
      } else {
        builder.endpoint(endpoint).credential(new DefaultAzureCredentialBuilder().build());
      }
      service = builder.buildClient();
    } catch (IllegalArgumentException e) {
      // The SDK's message on a bad connection string or SAS token names the part that is wrong,
      // never the secret; keep only its class to be sure.
      throw new StoreException(StoreException.Kind.FATAL, "cannot open azure://" + spec.bucket()
          + ": the credentials or endpoint are malformed (" + e.getClass().getSimpleName() + ")", e);
    }
    if (service.getAccountName() != null && !service.getAccountName().equals(account)) {
      throw new StoreException(StoreException.Kind.ACCESS_DENIED, "cannot open azure://" + spec.bucket()
          + ": the credentials are for another storage account (" + service.getAccountName() + ")");
    }
    return new AzureStore(service.getBlobContainerClient(parts[1]), account, requests, counter);
  }
}
