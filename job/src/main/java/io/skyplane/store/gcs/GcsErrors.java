package io.skyplane.store.gcs;

import com.google.auth.Retryable;
import com.google.cloud.BaseServiceException;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreException.Kind;
import java.io.IOException;

/** The one place where Google Cloud Storage failures become {@link StoreException}s. */
final class GcsErrors {
  private GcsErrors() {}

  /**
   * Translates a failure of {@code action} on {@code uri} (a {@code gs://} URI). The SDK has already
   * retried what it considers transient, with exponential backoff.
   */
  static StoreException translate(String action, String uri, Throwable failure) {
    if (failure instanceof StoreException store) {
      return store;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof Retryable auth && !auth.isRetryable()
          && t.getClass().getName().startsWith("com.google.auth.")) {
        // The credentials could not get a token (revoked, wrong account, no such key): not going
        // to heal by retrying. The auth library's message names the account, never a secret.
        return new StoreException(Kind.ACCESS_DENIED, message(action, uri,
            "the credentials were refused (" + auth.getClass().getSimpleName() + ")"), failure);
      }
    }
    Throwable cause = failure;
    while (cause != null && !(cause instanceof BaseServiceException)) {
      cause = cause.getCause();
    }
    if (cause instanceof BaseServiceException service) {
      int code = service.getCode();
      return new StoreException(kind(code, true), message(action, uri, describe(code, service)), failure);
    }
    Kind kind = failure instanceof IOException || failure instanceof java.io.UncheckedIOException
        ? Kind.RETRYABLE : Kind.FATAL;
    return new StoreException(kind, message(action, uri, String.valueOf(failure.getMessage())), failure);
  }

  static Kind kind(int code, boolean ioOnZero) {
    return switch (code) {
      case 404 -> Kind.NOT_FOUND;
      case 401, 403 -> Kind.ACCESS_DENIED;
      case 409, 412 -> Kind.ALREADY_EXISTS;
      case 429, 503 -> Kind.THROTTLED;
      case 0 -> ioOnZero ? Kind.RETRYABLE : Kind.FATAL; // no HTTP answer: a network failure
      default -> code >= 500 ? Kind.RETRYABLE : Kind.FATAL;
    };
  }

  static String message(String action, String uri, String reason) {
    return "cannot " + action + " " + uri + ": " + reason;
  }

  private static String describe(int code, BaseServiceException service) {
    String reason = switch (code) {
      case 404 -> "not found";
      case 401, 403 -> "access denied";
      case 409, 412 -> "precondition failed (the object exists or changed)";
      case 429, 503 -> "throttled, retries exhausted";
      default -> code >= 500 || code == 0 ? "retries exhausted: " + service.getMessage()
          : String.valueOf(service.getMessage());
    };
    return reason + " (HTTP " + code + ")";
  }
}
