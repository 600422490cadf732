package io.skyplane.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * What the SDK's SigV4 signer does with an S3 upload (payload signing off, chunked encoding on, as
 * S3 sets them for UploadPart) over http and https, and what {@link S3UnsignedPayload} changes.
 */
class S3UnsignedPayloadTest {
  private static final byte[] BODY = new byte[300_000];

  private static SignedRequest sign(AwsV4HttpSigner signer, String protocol, int port, boolean trailer) {
    return S3UploadSigning.sign(signer,
        S3UploadSigning.upload(protocol, port, BODY, "partNumber", "1", "uploadId", "u"), BODY, trailer);
  }

  private static String payloadHash(SignedRequest signed) {
    return S3UploadSigning.payloadHash(signed);
  }

  @Test
  void theSdkSignsPayloadsOverHttpOnly() {
    AwsV4HttpSigner sdk = AwsV4AuthScheme.create().signer();
    assertThat(payloadHash(sign(sdk, "http", 9000, false))).isEqualTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
    assertThat(payloadHash(sign(sdk, "http", 9000, true))).isEqualTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
    assertThat(payloadHash(sign(sdk, "https", 443, true))).isEqualTo("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
  }

  @Test
  void overHttpThePayloadIsNotSignedAndTheRequestStaysHttp() {
    AwsV4HttpSigner unsigned = new S3UnsignedPayload().signer();
    SignedRequest trailer = sign(unsigned, "http", 9000, true);
    assertThat(payloadHash(trailer)).isEqualTo("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    assertThat(trailer.request().protocol()).isEqualTo("http");
    assertThat(trailer.request().port()).isEqualTo(9000);
    assertThat(trailer.request().firstMatchingHeader("Authorization")).get().asString()
        .startsWith("AWS4-HMAC-SHA256 Credential=id/");
    SignedRequest standardPort = sign(unsigned, "http", 80, true);
    assertThat(standardPort.request().port()).isEqualTo(80);
    assertThat(standardPort.request().firstMatchingHeader("Host")).hasValue("127.0.0.1");
  }

  @Test
  void httpsIsSignedAsWithoutIt() {
    SignedRequest signed = sign(new S3UnsignedPayload().signer(), "https", 443, true);
    assertThat(payloadHash(signed)).isEqualTo("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    assertThat(signed.request().protocol()).isEqualTo("https");
  }
}
