package io.skyplane.store.s3;

import io.skyplane.store.ObjectStore;
import io.skyplane.store.PartStream;
import io.skyplane.store.RequestSettings;
import io.skyplane.store.RetryCounter;
import io.skyplane.store.StoreFactory;
import io.skyplane.store.StoreSpec;
import java.io.IOException;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.retry.RetryUtils;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.AdaptiveRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.internal.DefaultAdaptiveRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Amazon S3 and S3-compatible stores ({@code s3} scheme) through the AWS SDK v2 sync client.
 *
 * <p>Options: {@code endpoint} (override, for S3Proxy, MinIO, R2, ...), {@code path-style}
 * (true/false), {@code region} (default us-east-1 with cross-region access), {@code profile} (a named
 * profile), {@code unsigned-payload} (true/false, default false: SigV4 without hashing payloads over
 * plain http too, see {@link S3UnsignedPayload}), and the {@link RequestSettings} ({@code attempts}, {@code connect-timeout}, {@code
 * request-timeout}, {@code idle-timeout}). Credentials come from the SDK's default chain: system
 * properties {@code aws.accessKeyId}/{@code aws.secretAccessKey}, environment, the (named) profile,
 * container and instance metadata.
 *
 * <p>Retries are the SDK's adaptive strategy: {@code attempts} tries, exponential back-off with full
 * jitter ({@value #BASE_DELAY_MILLIS} ms doubling, {@value #THROTTLING_BASE_DELAY_MILLIS} ms when
 * throttled, at most {@value #MAX_DELAY_MILLIS} ms), and a client-side rate limit that slows every
 * request of the client down while S3 answers 503 (SlowDown, or any 503: answers to HEAD carry no
 * error code). Its circuit breaker (which stops
 * retrying altogether when many requests fail) is off: a bulk transfer would rather slow down than
 * fail. Besides the SDK's own conditions, any failure with an {@link java.io.IOException} anywhere
 * in its causes is retried (the SDK looks only one cause deep, and a connection reset while an XML
 * answer is parsed comes wrapped twice). Each try of a request without object data must be answered
 * within {@code request-timeout}; uploads get one second more per MiB; the socket read timeout is
 * {@code idle-timeout}.
 */
public final class S3StoreFactory implements StoreFactory {
  static final long BASE_DELAY_MILLIS = 100;
  static final long THROTTLING_BASE_DELAY_MILLIS = 1_000;
  static final long MAX_DELAY_MILLIS = 20_000;

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public ObjectStore open(StoreSpec spec) throws IOException {
    S3Options options = S3Options.from(spec);
    RequestSettings requests = options.requests();
    DefaultCredentialsProvider.Builder credentials = DefaultCredentialsProvider.builder();
    options.profile().ifPresent(credentials::profileName);
    DefaultCredentialsProvider provider = credentials.build();
    RetryCounter counter = new RetryCounter();
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(requests.connectTimeout())
            .socketTimeout(requests.idleTimeout()))
        .credentialsProvider(provider)
        .forcePathStyle(options.pathStyle())
        .overrideConfiguration(o -> o.retryStrategy(retryStrategy(requests.attempts()))
            .addMetricPublisher(new S3RetryMetrics(counter)))
        // Puts and byte[] parts carry our own x-amz-checksum-crc32c; only streamed parts ask for an
        // SDK-computed CRC32C trailer (their CRC is not known when they start; aws-chunked bodies,
        // which some S3-compatible stores reject).
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        // Ranged reads carry no whole-object checksum; the job checks its own per-chunk CRC32C.
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    options.endpoint().ifPresent(builder::endpointOverride);
    builder.putAuthScheme(new S3WholeBodySigning(
        options.unsignedPayload() ? new S3UnsignedPayload() : AwsV4AuthScheme.create()));
    if (options.region().isPresent()) {
      builder.region(Region.of(options.region().get()));
    } else {
      builder.region(Region.US_EAST_1).crossRegionAccessEnabled(true);
    }
    return new S3Store(options.bucket(), builder.build(), provider, requests, counter);
  }

  static AdaptiveRetryStrategy retryStrategy(int attempts) {
    AdaptiveRetryStrategy.Builder builder = AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
        .maxAttempts(attempts)
        .retryOnException(S3StoreFactory::causedByIo)
        .treatAsThrottling(S3StoreFactory::isThrottling)
        .backoffStrategy(BackoffStrategy.exponentialDelay(
            Duration.ofMillis(BASE_DELAY_MILLIS), Duration.ofMillis(MAX_DELAY_MILLIS)))
        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(
            Duration.ofMillis(THROTTLING_BASE_DELAY_MILLIS), Duration.ofMillis(MAX_DELAY_MILLIS)));
    if (builder instanceof DefaultAdaptiveRetryStrategy.Builder internal) {
      // Only the SDK's own builder can turn the circuit breaker off; without it (another SDK
      // version) the breaker stays on and retries stop when most requests fail.
      internal.circuitBreakerEnabled(false);
    }
    return builder.build();
  }

  /** The SDK's throttling errors, and any 503: S3 says "slow down" with it (HEAD has no error code). */
  static boolean isThrottling(Throwable failure) {
    return failure instanceof SdkException sdk && (RetryUtils.isThrottlingException(sdk)
        || sdk instanceof SdkServiceException service && service.statusCode() == 503);
  }

  /**
   * An I/O failure (reset, timeout, truncated answer) anywhere in the chain of causes, unless the
   * body's own data failed (a part abandoned while it streamed): sending it again cannot help.
   */
  static boolean causedByIo(Throwable failure) {
    if (PartStream.isSourceFailure(failure)) {
      return false;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
