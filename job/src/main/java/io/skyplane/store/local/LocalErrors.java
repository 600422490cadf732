package io.skyplane.store.local;

import io.skyplane.store.StoreException;
import io.skyplane.store.StoreException.Kind;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** Translates file-system errors into {@link StoreException}s, once, for the whole package. */
final class LocalErrors {
  private LocalErrors() {}

  static StoreException translate(String action, String uri, IOException e) {
    if (e instanceof StoreException se) {
      return se;
    }
    Kind kind;
    String reason;
    if (e instanceof NoSuchFileException) {
      kind = Kind.NOT_FOUND;
      reason = "not found";
    } else if (e instanceof AccessDeniedException) {
      kind = Kind.ACCESS_DENIED;
      reason = "access denied";
    } else if (e instanceof FileAlreadyExistsException) {
      kind = Kind.ALREADY_EXISTS;
      reason = "already exists";
    } else {
      // A local disk failing (full, read-only, I/O error) does not heal by retrying.
      kind = Kind.FATAL;
      reason = String.valueOf(e.getMessage());
    }
    return new StoreException(kind, "cannot " + action + " " + uri + ": " + reason, e);
  }

  static StoreException fatal(String action, String uri, String reason) {
    return new StoreException(Kind.FATAL, "cannot " + action + " " + uri + ": " + reason);
  }

  static StoreException notFound(String action, String uri) {
    return new StoreException(Kind.NOT_FOUND, "cannot " + action + " " + uri + ": not found");
  }
}
