package io.skyplane.store.azure;

import com.azure.core.exception.HttpResponseException;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;

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
    boolean io = failure instanceof IOException || failure instanceof UncheckedIOException
        || failure.getCause() instanceof IOException;
    return new StoreException(io ? Kind.RETRYABLE : Kind.FATAL,
        message(action, uri, failure.getClass().getSimpleName()), failure);
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
      case 429, 503 -> "throttled";
      default -> status >= 500 ? "server error" : "request failed";
    };
  }
}
