package io.skyplane.store.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;

/**
 * The one place where Azure Blob failures become {@link StoreException}s. Messages carry the
 * action, the {@code azure://} URI, the HTTP status and the service's error code; never a request
 * URL (it could hold a SAS token).
 */
final class AzureErrors {
  private AzureErrors() {}

  static StoreException translate(String action, String uri, Throwable failure) {
    if (failure instanceof StoreException store) {
      return store;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ClientAuthenticationException) {
        // No token (DefaultAzureCredential found no credential, or it was refused): retrying does
        // not help. The message may name the credential sources tried; keep only the class.
        return new StoreException(Kind.ACCESS_DENIED, message(action, uri,
            "access denied: no usable credentials (" + t.getClass().getSimpleName() + ")"), failure);
      }
    }
    Throwable cause = failure;
    while (cause != null && !(cause instanceof HttpResponseException)) {
      cause = cause.getCause();
    }
    if (cause instanceof HttpResponseException http && http.getResponse() != null) {
      int status = http.getResponse().getStatusCode();
      String code = http instanceof com.azure.storage.blob.models.BlobStorageException blob
          && blob.getErrorCode() != null ? blob.getErrorCode().toString() : "";
      return new StoreException(kind(status), message(action, uri,
          reason(status) + " (HTTP " + status + (code.isEmpty() ? "" : " " + code) + ")"), failure);
    }
    Throwable transientCause = transientCause(failure);
    return transientCause != null
        ? new StoreException(Kind.RETRYABLE, message(action, uri,
            "network failure or timeout, retries exhausted (" + transientCause.getClass().getSimpleName() + ")"), failure)
        : new StoreException(Kind.FATAL, message(action, uri, failure.getClass().getSimpleName()), failure);
  }

  /**
   * The I/O failure or timeout in {@code failure}'s causes, or null: the client's own timeouts, a
   * reset or refused connection, a body cut short, or an overall call timeout (Reactor's "Timeout
   * on blocking read").
   */
  private static Throwable transientCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException
          || t instanceof IllegalStateException && String.valueOf(t.getMessage()).startsWith("Timeout on blocking read")) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  static int status(Throwable failure) {
    return failure instanceof HttpResponseException http && http.getResponse() != null
        ? http.getResponse().getStatusCode() : -1;
  }

  static Kind kind(int status) {
    return switch (status) {
      case 404 -> Kind.NOT_FOUND;
      case 401, 403 -> Kind.ACCESS_DENIED;
      case 409, 412 -> Kind.ALREADY_EXISTS;
      case 429, 503 -> Kind.THROTTLED; // 503 ServerBusy: the account's or partition's limit
      default -> status >= 500 ? Kind.RETRYABLE : Kind.FATAL;
    };
  }

  static String message(String action, String uri, String reason) {
    return "cannot " + action + " " + uri + ": " + reason;
  }

  private static String reason(int status) {
    return switch (status) {
      case 404 -> "not found";
      case 401, 403 -> "access denied";
      case 409, 412 -> "conflict or precondition failed";
      case 429, 503 -> "throttled, retries exhausted";
      default -> status >= 500 ? "server error, retries exhausted" : "request failed";
    };
  }
}
