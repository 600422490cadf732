package io.skyplane.store.s3;

import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * SigV4 without hashing the payload over plain http (store option {@code unsigned-payload=true}).
 *
 * <p>Over https the SDK (2.57) signs S3 uploads with {@code UNSIGNED-PAYLOAD} (our own
 * x-amz-checksum-crc32c header) or {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER} (a CRC32C trailer).
 * Over http it insists on signing the payload: every byte goes through SHA-256 ({@code
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]}, a signature per 128 KiB chunk). SigV4 allows
 * unsigned payloads on http (S3 and S3Proxy accept them); the SDK's rule is that without TLS the
 * signature should also protect the body. With this scheme, an http request is handed to the SDK's
 * own signer as if it were https, and the signed request goes out over http: the signature covers
 * method, path, query and headers (not the scheme), and the body is protected against corruption by
 * its CRC32C, which the store checks, but not against a party on the path that rewrites both body
 * and checksum. Meant for S3-compatible stores on a trusted network (and for benchmarks against
 * S3Proxy); https endpoints are signed exactly as without it.
 */
final class S3UnsignedPayload extends S3SigningScheme {
  S3UnsignedPayload() {
    super(AwsV4AuthScheme.create());
  }

  @Override
  SignedRequest sign(AwsV4HttpSigner signer, SignRequest<AwsCredentialsIdentity> request) {
    SdkHttpRequest http = request.request();
    if (!"http".equals(http.protocol())) {
      return signer.sign(request);
    }
    // Port 80 becomes 443, so that the Host header the signer adds (no port on a standard one)
    // is the one sent over http; any other port stays, and with it the Host header.
    SdkHttpRequest asHttps = http.toBuilder().protocol("https").port(http.port() == 80 ? 443 : http.port()).build();
    SignedRequest signed = signer.sign(request.toBuilder().request(asHttps).build());
    return signed.toBuilder()
        .request(signed.request().toBuilder().protocol("http").port(http.port()).build())
        .build();
  }
}
