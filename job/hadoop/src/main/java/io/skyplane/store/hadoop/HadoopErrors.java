package io.skyplane.store.hadoop;

import io.skyplane.store.StoreException;
import io.skyplane.store.StoreException.Kind;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;

/**
 * Translates Hadoop FileSystem failures into {@link StoreException}s, once, for the whole package.
 * The connectors have already retried (S3A, ABFS and gcs-connector retry with backoff; HDFS fails
 * over) when an exception reaches this class. Connector exception classes are matched by name: the
 * connectors are optional and this package is compiled against hadoop-client-api only.
 */
final class HadoopErrors {
  /** Where the README explains how to put Hadoop and its connectors on the classpath. */
  static final String README = "see README.md, section \"Hadoop file systems\"";

  private HadoopErrors() {}

  /** "cannot ACTION URI: REASON", with the kind the caller can act on. */
  static StoreException translate(String action, String uri, Throwable e) {
    if (e instanceof StoreException se) {
      return se;
    }
    if ((e instanceof UncheckedIOException || e instanceof java.util.concurrent.CompletionException
        || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
      return translate(action, uri, e.getCause());
    }
    Kind kind = kind(e);
    String reason = switch (kind) {
      case NOT_FOUND -> "not found";
      case ACCESS_DENIED -> "access denied";
      case ALREADY_EXISTS -> "already exists";
      default -> "";
    };
    String message = String.valueOf(e.getMessage());
    reason = reason.isEmpty() ? e.getClass().getSimpleName() + ": " + message
        : reason + " (" + e.getClass().getSimpleName() + ": " + message + ")";
    return new StoreException(kind, "cannot " + action + " " + uri + ": " + reason, e);
  }

  private static Kind kind(Throwable e) {
    String name = e.getClass().getName();
    if (e instanceof FileNotFoundException || e instanceof java.nio.file.NoSuchFileException
        // S3A: the bucket does not exist.
        || name.endsWith(".UnknownStoreException")) {
      return Kind.NOT_FOUND;
    }
    if (e instanceof java.nio.file.AccessDeniedException
        || name.equals("org.apache.hadoop.security.AccessControlException")
        || name.endsWith(".AccessControlException")) {
      return Kind.ACCESS_DENIED;
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException
        || name.equals("org.apache.hadoop.fs.FileAlreadyExistsException")) {
      return Kind.ALREADY_EXISTS;
    }
    if (name.endsWith("ThrottledException")) { // S3A AWSServiceThrottledException
      return Kind.THROTTLED;
    }
    if (e instanceof InterruptedIOException) {
      return Kind.RETRYABLE;
    }
    if (name.equals("org.apache.hadoop.fs.UnsupportedFileSystemException")
        || name.endsWith(".PathIsDirectoryException") || name.endsWith(".ParentNotDirectoryException")
        || name.endsWith(".PathIsNotEmptyDirectoryException") || name.endsWith(".AWSBadRequestException")
        || name.endsWith(".AWSUnsupportedFeatureException")) {
      return Kind.FATAL;
    }
    if (e instanceof IOException) {
      // Remote file systems fail with IOExceptions for network and server trouble.
      return Kind.RETRYABLE;
    }
    // UnsupportedOperationException, IllegalArgumentException (bad configuration), ...
    return Kind.FATAL;
  }

  static StoreException fatal(String action, String uri, String reason) {
    return new StoreException(Kind.FATAL, "cannot " + action + " " + uri + ": " + reason);
  }

  static StoreException notFound(String action, String uri) {
    return new StoreException(Kind.NOT_FOUND, "cannot " + action + " " + uri + ": not found");
  }
}
