package io.skyplane.store.s3;

import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs a small upload whose body is known up front (a put of a small object, a byte[] part) in
 * one piece: SigV4 with the SHA-256 of the whole body in {@code x-amz-content-sha256}, not
 * {@code aws-chunked} encoding with a signature per chunk. Where the SDK signs payloads (http
 * endpoints without {@code unsigned-payload}), it otherwise streams every S3 upload chunk-encoded,
 * which for a 4 KiB object costs a 128 KiB chunk buffer, a chunk signature and a final empty chunk:
 * more than the object. The body is protected exactly as before (signed, and checked by the store
 * against our CRC32C header). Bodies with an SDK-computed checksum trailer (streamed parts) and
 * bodies larger than {@link #WHOLE_BODY_MAX} are signed as the SDK chooses; so is anything the
 * delegate signs without a payload hash (https, unsigned payload).
 */
final class S3WholeBodySigning extends S3SigningScheme {
  /** Bodies up to this size are signed whole (hashed once before they are sent). */
  static final long WHOLE_BODY_MAX = 8L << 20;

  S3WholeBodySigning(AwsV4AuthScheme delegate) {
    super(delegate);
  }

  @Override
  SignedRequest sign(AwsV4HttpSigner signer, SignRequest<AwsCredentialsIdentity> request) {
    if (!signWhole(request)) {
      return signer.sign(request);
    }
    return signer.sign(request.toBuilder().putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, false).build());
  }

  /** Whether a request's body is small, known and has no checksum trailer: signed whole. */
  static boolean signWhole(SignRequest<?> request) {
    if (request.payload().isEmpty() || request.property(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM) != null) {
      return false;
    }
    return request.request().firstMatchingHeader("Content-Length")
        .map(length -> {
          try {
            long bytes = Long.parseLong(length.trim());
            return bytes >= 0 && bytes <= WHOLE_BODY_MAX;
          } catch (NumberFormatException e) {
            return false;
          }
        })
        .orElse(false);
  }
}
