package io.skyplane.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * A failure of a store operation, translated once per provider into a kind the job can act on. The
 * message says what was attempted on which URI, e.g. {@code "cannot read s3://b/k: not found"}.
 * Credentials never appear in it.
 */
public class StoreException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What the caller can do about it. */
  public enum Kind {
    /** The object, bucket or upload does not exist. */
    NOT_FOUND,
    /** A precondition failed: the object exists (or changed) when it must not. */
    ALREADY_EXISTS,
    /** Credentials are missing, wrong, or lack the permission. Not retryable. */
    ACCESS_DENIED,
    /** The store asked to slow down (S3 503 SlowDown, GCS 429, Azure 503) and retries ran out. */
    THROTTLED,
    /** A transient failure (network, 5xx) that outlived the SDK's retries. */
    RETRYABLE,
    /** Anything else: bad request, checksum mismatch, unsupported. Not retryable. */
    FATAL
  }

  private final Kind kind;

  public StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = requireNonNull(kind, "kind is null");
  }

  public StoreException(Kind kind, String message) {
    this(kind, message, null);
  }

  public Kind kind() {
    return kind;
  }

  public boolean isRetryable() {
    return kind == Kind.THROTTLED || kind == Kind.RETRYABLE;
  }
}
