package io.skyplane.store.s3;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * A SigV4 auth scheme that changes how synchronous requests are signed, still through the SDK's own
 * signer ({@link #sign}); its scheme id, identities and asynchronous signing are the delegate's (the
 * S3 store uses the synchronous client only). Schemes stack: each wraps the next one's signer.
 */
abstract class S3SigningScheme implements AwsV4AuthScheme {
  private final AwsV4AuthScheme delegate;

  S3SigningScheme(AwsV4AuthScheme delegate) {
    this.delegate = requireNonNull(delegate, "delegate is null");
  }

  /** Signs {@code request} with {@code signer} (the delegate's), changed as this scheme requires. */
  abstract SignedRequest sign(AwsV4HttpSigner signer, SignRequest<AwsCredentialsIdentity> request);

  @Override
  public final String schemeId() {
    return delegate.schemeId();
  }

  @Override
  public final IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
    return delegate.identityProvider(providers);
  }

  @Override
  public final AwsV4HttpSigner signer() {
    AwsV4HttpSigner signer = delegate.signer();
    return new AwsV4HttpSigner() {
      @Override
      public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
        @SuppressWarnings("unchecked")
        SignRequest<AwsCredentialsIdentity> typed = (SignRequest<AwsCredentialsIdentity>) request;
        return S3SigningScheme.this.sign(signer, typed);
      }

      @Override
      public CompletableFuture<AsyncSignedRequest> signAsync(
          AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
        return signer.signAsync(request);
      }
    };
  }
}
