package io.skyplane.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * What {@link S3WholeBodySigning} changes in the SDK's signing of an S3 upload (chunked encoding
 * on, as S3 sets it for PutObject and UploadPart): a small body without a checksum trailer is
 * signed whole (its SHA-256 in the header, no aws-chunked body); anything else as the SDK signs it.
 */
class S3WholeBodySigningTest {
  private static SignedRequest sign(AwsV4HttpSigner signer, String protocol, byte[] body, boolean trailer) {
    return S3UploadSigning.sign(signer, S3UploadSigning.upload(protocol, 9000, body), body, trailer);
  }

  private static String payloadHash(SignedRequest signed) {
    return S3UploadSigning.payloadHash(signed);
  }

  private static String sha256(byte[] body) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
  }

  @Test
  void aSmallBodyOverHttpIsSignedWholeNotChunked() throws NoSuchAlgorithmException {
    byte[] body = new byte[4096];
    body[7] = 42;
    AwsV4HttpSigner sdk = AwsV4AuthScheme.create().signer();
    assertThat(payloadHash(sign(sdk, "http", body, false))).isEqualTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");

    SignedRequest signed = sign(new S3WholeBodySigning(AwsV4AuthScheme.create()).signer(), "http", body, false);
    assertThat(payloadHash(signed)).isEqualTo(sha256(body));
    assertThat(signed.request().firstMatchingHeader("Content-Encoding")).isEmpty();
    assertThat(signed.request().firstMatchingHeader("Content-Length")).hasValue("4096");
    assertThat(signed.request().firstMatchingHeader("Authorization")).get().asString()
        .startsWith("AWS4-HMAC-SHA256 Credential=id/");
  }

  @Test
  void bodiesWithATrailerOrLargeOnesAreSignedAsTheSdkDoes() {
    AwsV4HttpSigner whole = new S3WholeBodySigning(AwsV4AuthScheme.create()).signer();
    assertThat(payloadHash(sign(whole, "http", new byte[4096], true)))
        .isEqualTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
    byte[] large = new byte[(int) S3WholeBodySigning.WHOLE_BODY_MAX + 1];
    assertThat(payloadHash(sign(whole, "http", large, false))).isEqualTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
  }

  @Test
  void withUnsignedPayloadsASmallBodyIsSentUnsignedAndWhole() {
    AwsV4HttpSigner signer = new S3WholeBodySigning(new S3UnsignedPayload()).signer();
    SignedRequest signed = sign(signer, "http", new byte[4096], false);
    assertThat(payloadHash(signed)).isEqualTo("UNSIGNED-PAYLOAD");
    assertThat(signed.request().protocol()).isEqualTo("http");
    assertThat(payloadHash(sign(signer, "https", new byte[4096], false))).isEqualTo("UNSIGNED-PAYLOAD");
  }
}
