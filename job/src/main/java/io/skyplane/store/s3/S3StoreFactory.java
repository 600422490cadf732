package io.skyplane.store.s3;

import io.skyplane.store.ObjectStore;
import io.skyplane.store.StoreFactory;
import io.skyplane.store.StoreSpec;
import java.io.IOException;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Amazon S3 and S3-compatible stores ({@code s3} scheme) through the AWS SDK v2 sync client.
 *
 * <p>Options: {@code endpoint} (override, for S3Proxy, MinIO, R2, ...), {@code path-style}
 * (true/false), {@code region} (default us-east-1 with cross-region access), {@code profile} (a named
 * profile). Credentials come from the SDK's default chain: system properties {@code
 * aws.accessKeyId}/{@code aws.secretAccessKey}, environment, the (named) profile, container and
 * instance metadata. Retries use the SDK's adaptive mode, which also rate-limits the client when S3
 * answers 503 SlowDown.
 */
public final class S3StoreFactory implements StoreFactory {

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public ObjectStore open(StoreSpec spec) throws IOException {
    S3Options options = S3Options.from(spec);
    DefaultCredentialsProvider.Builder credentials = DefaultCredentialsProvider.builder();
    options.profile().ifPresent(credentials::profileName);
    DefaultCredentialsProvider provider = credentials.build();
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60)))
        .credentialsProvider(provider)
        .forcePathStyle(options.pathStyle())
        .overrideConfiguration(o -> o.retryStrategy(RetryMode.ADAPTIVE_V2))
        // We send our own x-amz-checksum-crc32c on puts and parts; no SDK-computed trailing
        // checksums (aws-chunked bodies, which S3-compatible stores often reject).
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        // Ranged reads carry no whole-object checksum; the job checks its own per-chunk CRC32C.
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    options.endpoint().ifPresent(builder::endpointOverride);
    if (options.region().isPresent()) {
      builder.region(Region.of(options.region().get()));
    } else {
      builder.region(Region.US_EAST_1).crossRegionAccessEnabled(true);
    }
    return new S3Store(options.bucket(), builder.build(), provider);
  }
}
