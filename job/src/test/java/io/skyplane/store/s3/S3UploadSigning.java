package io.skyplane.store.s3;

import java.io.ByteArrayInputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs an S3 upload (PUT of {@code body}) with the properties S3 sets for PutObject and UploadPart:
 * region, service, payload signing off, chunked encoding on, and optionally a CRC32C trailer.
 */
final class S3UploadSigning {
  private static final AwsCredentialsIdentity KEYS = AwsBasicCredentials.create("id", "secret");

  private S3UploadSigning() {}

  /** A PUT of {@code body} to /bucket/key at 127.0.0.1:{@code port}, with {@code query} pairs. */
  static SdkHttpRequest upload(String protocol, int port, byte[] body, String... query) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).protocol(protocol)
        .host("127.0.0.1").port(port).encodedPath("/bucket/key")
        .putHeader("Content-Length", Integer.toString(body.length));
    for (int i = 0; i + 1 < query.length; i += 2) {
      request.putRawQueryParameter(query[i], query[i + 1]);
    }
    return request.build();
  }

  static SignedRequest sign(AwsV4HttpSigner signer, SdkHttpRequest request, byte[] body, boolean trailer) {
    return signer.sign(r -> {
      r.identity(KEYS).request(request).payload(() -> new ByteArrayInputStream(body))
          .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
          .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
          .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true);
      if (trailer) {
        r.putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32C);
      }
    });
  }

  /** The signed request's {@code x-amz-content-sha256}: the payload's hash or how it is signed. */
  static String payloadHash(SignedRequest signed) {
    return signed.request().firstMatchingHeader("x-amz-content-sha256").orElse("");
  }
}
