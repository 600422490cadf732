package io.skyplane.store.s3;

import io.skyplane.store.RequestSettings;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The S3 options of a {@link StoreSpec}, parsed once.
 *
 * @param bucket the bucket
 * @param endpoint endpoint override (S3Proxy, MinIO, R2, ...), empty for AWS
 * @param pathStyle path-style addressing ({@code http://host/bucket/key}); S3-compatible stores
 *     usually need it
 * @param region signing region; empty means us-east-1 with cross-region access enabled
 * @param profile named profile of the shared AWS config/credentials files, empty for the default
 *     chain
 * @param unsignedPayload do not hash payloads for SigV4 over plain http either ({@link
 *     S3UnsignedPayload}); https requests never hash them
 * @param requests retries and timeouts ({@link RequestSettings})
 */
record S3Options(String bucket, Optional<URI> endpoint, boolean pathStyle, Optional<String> region,
    Optional<String> profile, boolean unsignedPayload, RequestSettings requests) {

  static final String ENDPOINT = "endpoint";
  static final String PATH_STYLE = "path-style";
  static final String REGION = "region";
  static final String PROFILE = "profile";
  static final String UNSIGNED_PAYLOAD = "unsigned-payload";

  static S3Options from(StoreSpec spec) throws StoreException {
    String bucket = spec.bucket();
    if (bucket.isEmpty() || bucket.contains("/")) {
      throw invalid(spec, "a bucket name is required and has no '/'");
    }
    Optional<URI> endpoint = Optional.empty();
    String text = spec.option(ENDPOINT, "");
    if (!text.isEmpty()) {
      try {
        URI uri = new URI(text);
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw invalid(spec, "endpoint '" + text + "' is not an http(s)://host[:port] URL");
        }
        endpoint = Optional.of(uri);
      } catch (URISyntaxException e) {
        throw invalid(spec, "endpoint '" + text + "' is not a URL: " + e.getReason());
      }
    }
    return new S3Options(bucket, endpoint, flag(spec, PATH_STYLE), nonEmpty(spec.option(REGION, "")),
        nonEmpty(spec.option(PROFILE, "")), flag(spec, UNSIGNED_PAYLOAD), RequestSettings.from(spec));
  }

  private static boolean flag(StoreSpec spec, String option) throws StoreException {
    String value = spec.option(option, "false").trim().toLowerCase(Locale.ROOT);
    if (!value.equals("true") && !value.equals("false")) {
      throw invalid(spec, option + " must be true or false, got '" + value + "'");
    }
    return Boolean.parseBoolean(value);
  }

  private static Optional<String> nonEmpty(String value) {
    return value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private static StoreException invalid(StoreSpec spec, String reason) {
    return new StoreException(StoreException.Kind.FATAL, "cannot open s3://" + spec.bucket() + ": " + reason);
  }
}
