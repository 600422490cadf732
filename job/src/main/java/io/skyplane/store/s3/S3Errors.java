package io.skyplane.store.s3;

import io.skyplane.store.StoreException;
import io.skyplane.store.StoreException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Translates AWS SDK failures into {@link StoreException}s, once, for the whole package. The SDK has
 * already retried (adaptively, for throttling) when an exception reaches this class.
 */
final class S3Errors {
  private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchUpload", "NotFound");
  private static final Set<String> THROTTLED =
      Set.of("SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests");
  /** Errors a later try may not see: S3 asks to try again, or its side timed out. */
  private static final Set<String> TRANSIENT =
      Set.of("RequestTimeout", "InternalError", "ServiceUnavailable", "OperationAborted");
  private static final Set<String> DENIED = Set.of("AccessDenied", "InvalidAccessKeyId",
      "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired");

  private S3Errors() {}

  /** "cannot ACTION URI: REASON", with the kind the caller can act on. */
  static StoreException translate(String action, String uri, Throwable e) {
    if (e instanceof StoreException se) {
      return se;
    }
    if (e instanceof AwsServiceException ase) {
      int status = ase.statusCode();
      String code = ase.awsErrorDetails() == null ? "" : String.valueOf(ase.awsErrorDetails().errorCode());
      Kind kind;
      if (status == 404 || NOT_FOUND.contains(code)) {
        kind = Kind.NOT_FOUND;
      } else if (status == 401 || status == 403 || DENIED.contains(code)) {
        kind = Kind.ACCESS_DENIED;
      } else if (status == 412) {
        kind = Kind.ALREADY_EXISTS;
      } else if (ase.isThrottlingException() || THROTTLED.contains(code) || status == 429 || status == 503) {
        kind = Kind.THROTTLED;
      } else if (status >= 500 || TRANSIENT.contains(code)) {
        kind = Kind.RETRYABLE;
      } else {
        kind = Kind.FATAL;
      }
      String detail = ase.awsErrorDetails() == null ? "" : ase.awsErrorDetails().errorMessage();
      String reason = describe(kind) + " (HTTP " + status + (code.isEmpty() || code.equals("null") ? "" : " " + code)
          + (detail == null || detail.isBlank() ? "" : ": " + detail) + ")";
      return new StoreException(kind, "cannot " + action + " " + uri + ": " + reason, e);
    }
    if (e instanceof SdkClientException sce) {
      // No credentials on this machine is not going to heal by retrying; the SDK's message names the
      // providers it tried, never a secret.
      // Anything else the client itself failed at (connection refused or reset, a per-try timeout,
      // an answer cut short or unparseable) may go away when tried again.
      String message = String.valueOf(sce.getMessage());
      Kind kind = message.contains("Unable to load credentials") ? Kind.ACCESS_DENIED : Kind.RETRYABLE;
      return new StoreException(kind, "cannot " + action + " " + uri + ": " + message, e);
    }
    if (e instanceof SdkException || e instanceof IOException || e instanceof UncheckedIOException) {
      return new StoreException(Kind.RETRYABLE, "cannot " + action + " " + uri + ": " + e.getMessage(), e);
    }
    return new StoreException(Kind.FATAL, "cannot " + action + " " + uri + ": " + e, e);
  }

  static boolean isNotFound(Throwable e) {
    return translate("", "", e).kind() == Kind.NOT_FOUND;
  }

  static StoreException fatal(String action, String uri, String reason) {
    return new StoreException(Kind.FATAL, "cannot " + action + " " + uri + ": " + reason);
  }

  private static String describe(Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> "not found";
      case ACCESS_DENIED -> "access denied";
      case ALREADY_EXISTS -> "precondition failed";
      case THROTTLED -> "throttled, retries exhausted";
      case RETRYABLE -> "server error, retries exhausted";
      case FATAL -> "request failed";
    };
  }
}
