package io.skyplane.store.s3;

import static java.util.Objects.requireNonNull;

import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

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
final class S3WholeBodySigning implements AwsV4AuthScheme {
  /** Bodies up to this size are signed whole (hashed once before they are sent). */
  static final long WHOLE_BODY_MAX = 8L << 20;

  private final AwsV4AuthScheme delegate;

  S3WholeBodySigning(AwsV4AuthScheme delegate) {
    this.delegate = requireNonNull(delegate, "delegate is null");
  }

  @Override
  public String schemeId() {
    return delegate.schemeId();
  }

  @Override
  public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
    return delegate.identityProvider(providers);
  }

  @Override
  public AwsV4HttpSigner signer() {
    return new Signer(delegate.signer());
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

  private static final class Signer implements AwsV4HttpSigner {
    private final AwsV4HttpSigner delegate;

    Signer(AwsV4HttpSigner delegate) {
      this.delegate = delegate;
    }

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
      if (!signWhole(request)) {
        return delegate.sign(request);
      }
      @SuppressWarnings("unchecked")
      SignRequest<AwsCredentialsIdentity> original = (SignRequest<AwsCredentialsIdentity>) request;
      return delegate.sign(original.toBuilder()
          .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, false)
          .build());
    }

    /** The S3 store uses the synchronous client only; asynchronous requests are signed as they are. */
    @Override
    public java.util.concurrent.CompletableFuture<AsyncSignedRequest> signAsync(
        AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
      return delegate.signAsync(request);
    }
  }
}
