package io.skyplane.testing.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.testing.faults.FaultKind;
import io.skyplane.testing.faults.FaultStats;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The AWS SDK v2 against S3Proxy through the fault proxy: transparent without faults (PUT, GET,
 * multipart byte-identical), and each fault as the SDK sees it.
 */
class S3FaultProxyIT {
  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();
  @RegisterExtension static final FaultProxyExtension<S3Endpoint> PROXY =
      new FaultProxyExtension<>(S3);

  private static final String BUCKET = "faults";
  /** Through the proxy, 4 attempts 20 ms apart. */
  private static S3Client retrying;
  /** Through the proxy, no retries. */
  private static S3Client once;
  /** Straight to S3Proxy (3 attempts: it only checks what the store holds). */
  private static S3Client direct;

  @BeforeAll
  static void clients() {
    retrying = client(PROXY.endpoint(), 4);
    once = client(PROXY.endpoint(), 1);
    direct = client(PROXY.upstream(), 3);
    once.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void closeClients() {
    retrying.close();
    once.close();
    direct.close();
  }

  @Test
  void putGetAndMultipartUploadAreByteIdenticalThroughTheProxy() {
    byte[] data = GcsJavaClientIT.random((8 << 20) + 7, 11);
    once.putObject(b -> b.bucket(BUCKET).key("plain"), RequestBody.fromBytes(data));
    assertThat(once.getObjectAsBytes(b -> b.bucket(BUCKET).key("plain")).asByteArray())
        .isEqualTo(data);
    assertThat(direct.getObjectAsBytes(b -> b.bucket(BUCKET).key("plain")).asByteArray())
        .isEqualTo(data);

    byte[] big = GcsJavaClientIT.random((11 << 20) + 3, 12);
    String id = once.createMultipartUpload(b -> b.bucket(BUCKET).key("multi")).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    int partSize = 5 << 20;
    for (int n = 1, off = 0; off < big.length; n++, off += partSize) {
      int partNumber = n;
      byte[] part = Arrays.copyOfRange(big, off, Math.min(big.length, off + partSize));
      String etag = once.uploadPart(b -> b.bucket(BUCKET).key("multi").uploadId(id)
          .partNumber(partNumber), RequestBody.fromBytes(part)).eTag();
      parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
    }
    once.completeMultipartUpload(b -> b.bucket(BUCKET).key("multi").uploadId(id)
        .multipartUpload(m -> m.parts(parts)));
    assertThat(once.getObjectAsBytes(b -> b.bucket(BUCKET).key("multi")).asByteArray())
        .isEqualTo(big);
    assertThat(once.getObjectAsBytes(b -> b.bucket(BUCKET).key("multi")
        .range("bytes=6000000-6999999")).asByteArray())
        .isEqualTo(Arrays.copyOfRange(big, 6_000_000, 7_000_000));

    FaultStats stats = PROXY.stats();
    assertThat(stats.injected()).isZero();
    assertThat(stats.proxyErrors()).isZero();
    assertThat(stats.method("PUT")).isEqualTo(4);
    assertThat(stats.method("POST")).isEqualTo(2);
    assertThat(stats.bytesUpstream()).isGreaterThanOrEqualTo(data.length + big.length);
    assertThat(stats.bytesDownstream()).isGreaterThanOrEqualTo(data.length + big.length
        + 1_000_000L);
  }

  @Test
  void throttlingFailsWithSlowDownAndTheStoreNeverSeesTheRequest() {
    PROXY.configure("throttle=1");
    assertThatThrownBy(() -> once.getObjectAsBytes(b -> b.bucket(BUCKET).key("any")))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(503);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
          assertThat(e.isThrottlingException()).isTrue();
        });

    // PUT sends Expect: 100-continue; by default the 503 replaces the 100 and the body is never
    // sent. HttpURLConnection (the UrlConnection client) then hands the SDK the status only
    // ("Unable to read response payload ... to an Expect: 100-continue request").
    PROXY.configure("throttle=1,methods=PUT");
    byte[] data = GcsJavaClientIT.random(1 << 20, 13);
    assertThatThrownBy(() -> once.putObject(b -> b.bucket(BUCKET).key("throttled"),
        RequestBody.fromBytes(data)))
        .isInstanceOfSatisfying(AwsServiceException.class,
            e -> assertThat(e.statusCode()).isEqualTo(503));
    assertThatThrownBy(() -> retrying.putObject(b -> b.bucket(BUCKET).key("throttled"),
        RequestBody.fromBytes(data))).isInstanceOf(AwsServiceException.class);
    // 1 GET, then at least one PUT per SDK attempt (HttpURLConnection sends a refused PUT again)
    assertThat(PROXY.stats().count(FaultKind.THROTTLE)).isGreaterThanOrEqualTo(1 + 1 + 4);
    assertThat(PROXY.stats().bytesUpstream()).isZero();

    // expect=continue: 100, the body is read and dropped, then the full SlowDown answer.
    PROXY.configure("throttle=1,methods=PUT,expect=continue");
    assertThatThrownBy(() -> once.putObject(b -> b.bucket(BUCKET).key("throttled"),
        RequestBody.fromBytes(data)))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(503);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
        });
    assertThat(PROXY.stats().bytesUpstream()).isZero();
    assertThatThrownBy(() -> direct.headObject(b -> b.bucket(BUCKET).key("throttled")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void internalErrorsFailOnceAndAreRetriedAway() {
    for (int i = 0; i < 10; i++) {
      String key = "small/" + i;
      direct.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("v" + i));
    }
    PROXY.configure("error=1,methods=GET");
    assertThatThrownBy(() -> once.getObjectAsBytes(b -> b.bucket(BUCKET).key("small/0")))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(500);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
        });
    PROXY.configure("error=0.4:500+503,seed=42,methods=GET");
    for (int i = 0; i < 10; i++) {
      String key = "small/" + i;
      assertThat(retrying.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String())
          .isEqualTo("v" + i);
    }
    FaultStats stats = PROXY.stats();
    assertThat(stats.count(FaultKind.ERROR)).isPositive();
    assertThat(stats.method("GET")).isEqualTo(1 + 10 + stats.count(FaultKind.ERROR) - 1);
  }

  @Test
  void aResetMidGetBreaksTheStreamAndTheSdkRetriesWholeGets() {
    byte[] data = GcsJavaClientIT.random(4 << 20, 14);
    direct.putObject(b -> b.bucket(BUCKET).key("resets"), RequestBody.fromBytes(data));
    PROXY.configure("reset=1:response,methods=GET,seed=7");
    ResponseInputStream<GetObjectResponse> in = once.getObject(b -> b.bucket(BUCKET)
        .key("resets"));
    assertThat(in.response().contentLength()).isEqualTo(data.length);
    assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
    in.abort();
    assertThatThrownBy(() -> retrying.getObjectAsBytes(b -> b.bucket(BUCKET).key("resets")))
        .isInstanceOf(SdkClientException.class);
    assertThat(PROXY.stats().count(FaultKind.RESET)).isEqualTo(1 + 4);

    PROXY.configure("reset=0.5:response,methods=GET,seed=3");
    for (int i = 0; i < 4; i++) {
      assertThat(retrying.getObjectAsBytes(b -> b.bucket(BUCKET).key("resets")).asByteArray())
          .isEqualTo(data);
    }
    assertThat(PROXY.stats().count(FaultKind.RESET)).isPositive();
  }

  @Test
  void aResetWhileReadingSmallXmlAnswers() {
    direct.putObject(b -> b.bucket(BUCKET).key("listed/a"), RequestBody.fromString("a"));
    PROXY.configure("reset=1:response,path=list-type");
    assertThatThrownBy(() -> once.listObjectsV2(b -> b.bucket(BUCKET).prefix("listed/")))
        .isInstanceOf(SdkClientException.class);
    PROXY.configure("reset=0.5:response,path=list-type,seed=5");
    for (int i = 0; i < 4; i++) {
      assertThat(retrying.listObjectsV2(b -> b.bucket(BUCKET).prefix("listed/")).keyCount())
          .isEqualTo(1);
    }
    assertThat(PROXY.stats().count(FaultKind.RESET)).isPositive();

    // A CompleteMultipartUpload whose answer is lost: the store has the object, the client fails.
    byte[] part = GcsJavaClientIT.random(5 << 20, 15);
    PROXY.configure("reset=1:response,methods=POST,path=uploadId=");
    String id = once.createMultipartUpload(b -> b.bucket(BUCKET).key("completed")).uploadId();
    String etag = once.uploadPart(b -> b.bucket(BUCKET).key("completed").uploadId(id)
        .partNumber(1), RequestBody.fromBytes(part)).eTag();
    assertThatThrownBy(() -> once.completeMultipartUpload(b -> b.bucket(BUCKET).key("completed")
        .uploadId(id).multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1)
            .eTag(etag).build())))).isInstanceOf(SdkClientException.class);
    assertThat(direct.headObject(b -> b.bucket(BUCKET).key("completed")).contentLength())
        .isEqualTo(part.length);
  }

  @Test
  void aResetWhileUploadingLeavesNothingInTheStore() {
    PROXY.configure("reset=1:request,methods=PUT");
    assertThatThrownBy(() -> once.putObject(b -> b.bucket(BUCKET).key("cut"),
        RequestBody.fromBytes(GcsJavaClientIT.random(2 << 20, 16))))
        .isInstanceOf(SdkClientException.class);
    assertThat(PROXY.stats().count(FaultKind.RESET)).isEqualTo(1);
    assertThat(PROXY.stats().bytesUpstream()).isZero();
    assertThatThrownBy(() -> direct.headObject(b -> b.bucket(BUCKET).key("cut")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void aStallDelaysAGetAndADripSlowsIt() {
    byte[] data = GcsJavaClientIT.random(1 << 20, 17);
    direct.putObject(b -> b.bucket(BUCKET).key("slow"), RequestBody.fromBytes(data));
    PROXY.configure("stall=1:2s,methods=GET");
    long t0 = System.nanoTime();
    assertThat(once.getObjectAsBytes(b -> b.bucket(BUCKET).key("slow")).asByteArray())
        .isEqualTo(data);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1950),
        Duration.ofSeconds(10));
    PROXY.configure("drip=1:1MiB/s,methods=GET");
    t0 = System.nanoTime();
    assertThat(once.getObjectAsBytes(b -> b.bucket(BUCKET).key("slow")).asByteArray())
        .isEqualTo(data);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(900),
        Duration.ofSeconds(10));
    assertThat(PROXY.stats().count(FaultKind.STALL)).isEqualTo(1);
    assertThat(PROXY.stats().count(FaultKind.DRIP)).isEqualTo(1);
  }

  @Test
  void aStoreThatOnlyErrorsAndTurningFaultsOffAtRuntime() {
    PROXY.configure("down=503");
    assertThatThrownBy(() -> once.listBuckets()).isInstanceOfSatisfying(AwsServiceException.class,
        e -> {
          assertThat(e.statusCode()).isEqualTo(503);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
        });
    assertThatThrownBy(() -> once.putObject(b -> b.bucket(BUCKET).key("down"),
        RequestBody.fromString("x"))).isInstanceOf(AwsServiceException.class);
    assertThatThrownBy(() -> once.headObject(b -> b.bucket(BUCKET).key("down")))
        .isInstanceOfSatisfying(AwsServiceException.class,
            e -> assertThat(e.statusCode()).isEqualTo(503));
    assertThat(PROXY.stats().count(FaultKind.DOWN)).isEqualTo(3);

    PROXY.configure("none");
    assertThat(once.listBuckets().buckets()).isNotEmpty();
    PROXY.configure("throttle=1,skip=2");
    once.listBuckets();
    once.listBuckets();
    assertThatThrownBy(() -> once.listBuckets()).isInstanceOf(AwsServiceException.class);
  }

  static S3Client client(S3Endpoint e, int attempts) {
    RetryStrategy retry = attempts == 1 ? AwsRetryStrategy.doNotRetry()
        : AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(attempts)
            .backoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(20)))
            .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(20)))
            .circuitBreakerEnabled(false).build();
    return S3Client.builder()
        .endpointOverride(e.endpoint())
        .region(Region.of(e.region()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(e.accessKey(), e.secretKey())))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.retryStrategy(retry))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
