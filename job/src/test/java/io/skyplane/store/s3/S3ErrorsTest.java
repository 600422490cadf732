package io.skyplane.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.store.StoreException.Kind;
import io.skyplane.store.StoreSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.assertj.core.api.Assertions;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ErrorsTest {
  private static S3Exception s3(int status, String code) {
    return (S3Exception) S3Exception.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("msg " + code).build())
        .build();
  }

  @ParameterizedTest
  @CsvSource({
    "404, NoSuchKey, NOT_FOUND", "404, NoSuchBucket, NOT_FOUND", "404, NoSuchUpload, NOT_FOUND",
    "403, AccessDenied, ACCESS_DENIED", "403, SignatureDoesNotMatch, ACCESS_DENIED",
    "412, PreconditionFailed, ALREADY_EXISTS", "503, SlowDown, THROTTLED", "429, TooManyRequests, THROTTLED",
    "500, InternalError, RETRYABLE", "503, ServiceUnavailable, THROTTLED", "503, , THROTTLED",
    "502, , RETRYABLE", "400, RequestTimeout, RETRYABLE", "400, ExpiredToken, ACCESS_DENIED",
    "200, InternalError, RETRYABLE", "400, InvalidPart, FATAL",
    "400, BadDigest, FATAL", "416, InvalidRange, FATAL"
  })
  void translatesServiceErrors(int status, String code, Kind kind) {
    var e = S3Errors.translate("read", "s3://b/k", s3(status, code));
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.getMessage()).startsWith("cannot read s3://b/k: ").contains("HTTP " + status);
    if (code != null) {
      assertThat(e.getMessage()).contains(code);
    }
  }

  @Test
  void failuresOfTheConnectionAreRetryableHoweverDeepTheyAre() {
    // What the SDK threw for a reset while it parsed a ListObjectsV2 answer: two causes deep.
    var parse = SdkClientException.builder().message("Could not parse XML response.")
        .cause(new javax.xml.stream.XMLStreamException(new java.net.SocketException("Connection reset"))).build();
    assertThat(S3Errors.translate("list", "s3://b/", parse).kind()).isEqualTo(Kind.RETRYABLE);
    // ... and for a reset before the first byte of the answer: not even an SdkException.
    var raw = new java.io.UncheckedIOException(new java.net.SocketException("Connection reset"));
    assertThat(S3Errors.translate("list", "s3://b/", raw).kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(S3StoreFactory.causedByIo(parse)).isTrue();
    assertThat(S3StoreFactory.causedByIo(raw)).isTrue();
    assertThat(S3StoreFactory.causedByIo(SdkClientException.create("Unable to marshall request"))).isFalse();
  }

  @Test
  void any503IsThrottlingToTheRetryStrategy() {
    assertThat(S3StoreFactory.isThrottling(s3(503, null))).isTrue(); // HEAD: no error code
    assertThat(S3StoreFactory.isThrottling(s3(503, "SlowDown"))).isTrue();
    assertThat(S3StoreFactory.isThrottling(s3(500, "InternalError"))).isFalse();
    assertThat(S3StoreFactory.isThrottling(new java.io.IOException("reset"))).isFalse();
  }

  @Test
  void retriesAreCountedByCause() {
    assertThat(S3RetryMetrics.cause("ServerError", 503)).isEqualTo(io.skyplane.store.RetryCounter.Cause.THROTTLED);
    assertThat(S3RetryMetrics.cause("Throttling", 0)).isEqualTo(io.skyplane.store.RetryCounter.Cause.THROTTLED);
    assertThat(S3RetryMetrics.cause("ServerError", 500)).isEqualTo(io.skyplane.store.RetryCounter.Cause.SERVER_ERROR);
    assertThat(S3RetryMetrics.cause("IO", 0)).isEqualTo(io.skyplane.store.RetryCounter.Cause.NETWORK);
    assertThat(S3RetryMetrics.cause("ConfiguredTimeout", 0)).isEqualTo(io.skyplane.store.RetryCounter.Cause.NETWORK);
  }

  @Test
  void clientErrorsAreRetryableExceptMissingCredentials() {
    assertThat(S3Errors.translate("put", "s3://b/k",
        SdkClientException.create("Unable to execute HTTP request: Connection refused")).kind())
        .isEqualTo(Kind.RETRYABLE);
    assertThat(S3Errors.translate("put", "s3://b/k",
        SdkClientException.create("Unable to load credentials from any of the providers")).kind())
        .isEqualTo(Kind.ACCESS_DENIED);
  }

  @Test
  void optionsAreValidated() throws Exception {
    Assertions.assertThatThrownBy(() -> S3Options.from(new StoreSpec("s3", "b", Map.of("path-style", "yes"))))
        .hasMessageContaining("path-style");
    Assertions.assertThatThrownBy(() -> S3Options.from(new StoreSpec("s3", "", Map.of())))
        .hasMessageContaining("bucket");
    Assertions.assertThatThrownBy(() -> S3Options.from(new StoreSpec("s3", "b", Map.of("endpoint", "not a url"))))
        .hasMessageContaining("endpoint");
    S3Options options = S3Options.from(new StoreSpec("s3", "b",
        Map.of("endpoint", "http://127.0.0.1:9000", "path-style", "true", "profile", "dev")));
    assertThat(options.pathStyle()).isTrue();
    assertThat(options.region()).isEmpty();
    assertThat(options.profile()).contains("dev");
    assertThat(options.requests()).isEqualTo(io.skyplane.store.RequestSettings.DEFAULTS);
    Assertions.assertThatThrownBy(() -> S3Options.from(new StoreSpec("s3", "b", Map.of("attempts", "0"))))
        .hasMessageContaining("attempts");
  }
}
