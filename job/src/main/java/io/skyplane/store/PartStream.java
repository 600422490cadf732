package io.skyplane.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * One try's reading of a {@link PartData}, for the stores that stream a part: opens the data on the
 * first read, yields exactly {@link PartData#length()} bytes and keeps the CRC32C and count of what
 * it yielded, so that the store can check what it sent against {@link PartData#crc32c()} ({@link
 * #verify}).
 *
 * <p>A failure of the data itself (it cannot be opened, it was abandoned, it ended early) is thrown
 * as an unchecked {@link SourceFailed}, whose chain of causes holds no {@link IOException}: the
 * SDKs retry a request whose body fails with an I/O error, and re-sending data that failed cannot
 * help. Each provider turns it back into a {@link StoreException} with {@link #failure}. An
 * interrupted wait for the data ({@link java.io.InterruptedIOException}) is not the data's failure
 * and passes as it is.
 */
public final class PartStream extends InputStream {
  private final PartData data;
  private final String uri;
  private final CRC32C crc = new CRC32C();
  private InputStream in;
  private long remaining;
  private long sent;
  private volatile SourceFailed failed;

  /** A stream over {@code data} for one try of its upload to {@code uri}; nothing is opened yet. */
  public PartStream(PartData data, String uri) {
    this.data = requireNonNull(data, "data is null");
    this.uri = requireNonNull(uri, "uri is null");
    this.remaining = data.length();
  }

  /**
   * The part's data failed while a store read it. Carries the data's own exception ({@link
   * #getFailure()}, also attached as suppressed for the stack trace) instead of a cause, see above.
   */
  public static final class SourceFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final IOException failure;

    SourceFailed(String message, IOException failure) {
      super(message);
      this.failure = failure;
      addSuppressed(failure);
    }

    public IOException getFailure() {
      return failure;
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n;
    while ((n = read(one, 0, 1)) == 0) {
      // a source may answer 0; ask again
    }
    return n < 0 ? -1 : one[0] & 0xff;
  }

  /**
   * @throws SourceFailed when the data fails
   * @throws java.io.InterruptedIOException when the reading thread was interrupted while it waited
   *     for the data (an SDK cutting a try short, or a cancelled task): not the data's failure
   */
  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (remaining == 0) {
      return len == 0 ? 0 : -1;
    }
    if (len == 0) {
      return 0;
    }
    if (failed != null) {
      throw failed;
    }
    int n;
    try {
      if (in == null) {
        in = data.open();
      }
      n = in.read(b, off, (int) Math.min(len, remaining));
    } catch (java.io.InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      throw failed("the part's data failed at byte " + sent + " of " + data.length() + ": "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw failed("the part's data failed at byte " + sent + " of " + data.length() + ": " + e,
          new IOException(e));
    }
    if (n < 0) {
      IOException early = new java.io.EOFException("the part's data ended after " + sent + " of "
          + data.length() + " bytes");
      throw failed(early.getMessage(), early);
    }
    crc.update(b, off, n);
    sent += n;
    remaining -= n;
    return n;
  }

  @Override
  public int available() throws IOException {
    return in == null ? 0 : (int) Math.min(remaining, Math.max(0, in.available()));
  }

  @Override
  public void close() throws IOException {
    if (in != null) {
      in.close();
    }
  }

  private SourceFailed failed(String message, IOException cause) {
    failed = new SourceFailed(message, cause);
    return failed;
  }

  /**
   * The failure of the data this stream hit, or null: for an HTTP client that loses the exception
   * thrown by a request body (and reports only that the body was short).
   */
  public SourceFailed failure() {
    return failed;
  }

  /** Bytes yielded so far. */
  public long sent() {
    return sent;
  }

  /**
   * Checks that this stream yielded the whole part and that its bytes have the part's CRC32C (and,
   * when the store reported the CRC32C of what it received, that one too).
   *
   * @param storeCrc32c the CRC32C the store computed, or null when it reports none
   * @throws StoreException {@link StoreException.Kind#FATAL} when the part was not sent whole or a
   *     checksum differs
   * @throws IOException when the data was abandoned (from {@link PartData#crc32c()})
   */
  public void verify(String action, Integer storeCrc32c) throws IOException {
    if (remaining != 0) {
      throw new StoreException(StoreException.Kind.FATAL, "cannot " + action + " " + uri
          + ": only " + sent + " of " + data.length() + " bytes were sent");
    }
    int expected = data.crc32c();
    int actual = (int) crc.getValue();
    if (actual != expected) {
      throw new StoreException(StoreException.Kind.FATAL, String.format(
          "cannot %s %s: the bytes sent have CRC32C %08x, the part's is %08x", action, uri, actual, expected));
    }
    if (storeCrc32c != null && storeCrc32c != expected) {
      throw new StoreException(StoreException.Kind.FATAL, String.format(
          "cannot %s %s: the store received bytes with CRC32C %08x, the part's is %08x", action, uri,
          storeCrc32c, expected));
    }
  }

  /**
   * The data's failure in {@code failure}'s causes or suppressed exceptions, as the {@link
   * StoreException} to throw ({@link StoreException.Kind#FATAL}, the data's exception as its cause),
   * or null when the data did not fail.
   */
  public static StoreException failure(String action, String uri, Throwable failure) {
    SourceFailed source = find(failure, 0);
    return source == null ? null : new StoreException(StoreException.Kind.FATAL,
        "cannot " + action + " " + uri + ": " + source.getMessage(), source.getFailure());
  }

  /**
   * Like {@link #failure(String, String, Throwable)}, and also when {@code lastTry}, the stream of
   * the request's last try, hit a failure of the data that the HTTP client did not pass on.
   */
  public static StoreException failure(String action, String uri, Throwable failure, PartStream lastTry) {
    StoreException found = failure(action, uri, failure);
    if (found == null && lastTry != null && lastTry.failure() != null) {
      found = failure(action, uri, lastTry.failure());
      found.addSuppressed(failure);
    }
    return found;
  }

  /** Whether {@code failure} is, or was caused by, a failure of a part's data. */
  public static boolean isSourceFailure(Throwable failure) {
    return find(failure, 0) != null;
  }

  /**
   * The failure of a part's data in {@code failure}'s causes or suppressed exceptions, else {@code
   * failure} itself: for an SDK hook that must hand on an error its retry policy does not retry.
   */
  public static Throwable sourceFailureOr(Throwable failure) {
    SourceFailed source = find(failure, 0);
    return source == null ? failure : source;
  }

  private static SourceFailed find(Throwable t, int depth) {
    if (t == null || depth > 16) {
      return null;
    }
    if (t instanceof SourceFailed source) {
      return source;
    }
    for (Throwable suppressed : t.getSuppressed()) {
      SourceFailed found = find(suppressed, depth + 1);
      if (found != null) {
        return found;
      }
    }
    return t.getCause() == t ? null : find(t.getCause(), depth + 1);
  }
}
