package io.skyplane.store;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A ranged read that survives its stream breaking: when the stream fails mid-body (connection reset,
 * idle timeout, premature end), the range from the byte reached on is opened again, after a short
 * back-off, and reading goes on. Yields exactly {@code length} bytes or fails, like {@link
 * ExactLengthInputStream}.
 *
 * <p>The {@link Opener} pins every open to the version of the object the first one read (ETag or
 * generation), so a resumed read never mixes two versions; an object that changed makes the
 * opener fail with {@link StoreException.Kind#FATAL}, which is passed on, never resumed. Failures of
 * the opener itself (after its SDK's own retries) are passed on too. A stream failure that the
 * provider's translator does not call retryable is passed on at once. After {@code maxResumes}
 * breaks in a row without a byte of progress in between, the last failure is passed on.
 *
 * <p>For {@link ObjectStore#read} implementations whose SDK does not resume reads itself. Not
 * thread-safe, like any stream.
 */
public final class ResumingInputStream extends InputStream {
  private static final long BASE_DELAY_MILLIS = 200;
  private static final long MAX_DELAY_MILLIS = 5_000;

  /** Opens the bytes {@code [offset, offset + length)} of the object, of the version first read. */
  public interface Opener {
    /**
     * @throws StoreException the translated failure, after the SDK's retries; FATAL when the object
     *     changed
     */
    InputStream open(long offset, long length) throws IOException;

    /** Drops a broken stream (by default closes it, ignoring a failure); an SDK may abort instead. */
    default void discard(InputStream broken) {
      try {
        broken.close();
      } catch (IOException | RuntimeException e) {
        // it is broken already
      }
    }
  }

  private final String uri;
  private final Opener opener;
  private final ExactLengthInputStream.Translator translator;
  private final int maxResumes;
  private final RetryCounter counter;
  private InputStream current;
  private long position;
  private long remaining;
  private int breaksInARow;
  private boolean closed;

  private ResumingInputStream(String uri, InputStream first, long offset, long length, Opener opener,
      ExactLengthInputStream.Translator translator, int maxResumes, RetryCounter counter) {
    this.uri = requireNonNull(uri, "uri is null");
    this.current = requireNonNull(first, "first is null");
    this.position = offset;
    this.remaining = length;
    this.opener = requireNonNull(opener, "opener is null");
    this.translator = requireNonNull(translator, "translator is null");
    this.maxResumes = maxResumes;
    this.counter = requireNonNull(counter, "counter is null");
  }

  /**
   * Opens the range now (so that a missing object fails this call) and returns the resuming stream.
   *
   * @param uri the object's URI, for messages
   * @param translator turns a failure of an opened stream into a {@link StoreException}; retryable
   *     ones are resumed
   * @param maxResumes how often the stream may break in a row without progress before the read
   *     fails (0: never resumed)
   * @param counter counts every resume
   */
  public static InputStream open(String uri, long offset, long length, Opener opener,
      ExactLengthInputStream.Translator translator, int maxResumes, RetryCounter counter)
      throws IOException {
    if (offset < 0 || length < 0 || maxResumes < 0) {
      throw new IllegalArgumentException("bad range " + offset + "+" + length + " or resumes "
          + maxResumes + " of " + uri);
    }
    InputStream first = opener.open(offset, length);
    return new ResumingInputStream(uri, first, offset, length, opener, translator, maxResumes, counter);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n;
    while ((n = read(one, 0, 1)) == 0) {
      // a stream may answer 0; ask again
    }
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("cannot read " + uri + ": the stream is closed");
    }
    if (len == 0) {
      return 0;
    }
    if (remaining == 0) {
      return -1;
    }
    while (true) {
      if (current == null) {
        current = opener.open(position, remaining); // failures (after the SDK's retries) pass on
      }
      int n;
      try {
        n = current.read(b, off, (int) Math.min(len, remaining));
      } catch (IOException | RuntimeException e) {
        StoreException error = translator.translate("read", uri, e);
        if (!error.isRetryable()) {
          throw error;
        }
        broke(error);
        continue;
      }
      if (n < 0) {
        broke(new StoreException(StoreException.Kind.RETRYABLE, "cannot read " + uri
            + ": the stream ended " + remaining + " bytes early", new EOFException()));
        continue;
      }
      if (n > 0) {
        position += n;
        remaining -= n;
        breaksInARow = 0;
      }
      return n;
    }
  }

  /** Drops the broken stream and waits before the next open, or fails when the budget is spent. */
  private void broke(StoreException error) throws IOException {
    InputStream broken = current;
    current = null;
    opener.discard(broken);
    if (breaksInARow >= maxResumes) {
      throw new StoreException(error.kind(), error.getMessage() + " (at byte " + position
          + "; re-opened " + breaksInARow + " times in a row without progress)", error);
    }
    breaksInARow++;
    long cap = Math.min(MAX_DELAY_MILLIS, BASE_DELAY_MILLIS << Math.min(breaksInARow - 1, 10));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1)); // full jitter
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted while resuming a read of " + uri);
      interrupted.addSuppressed(error);
      throw interrupted;
    }
    counter.resumedRead();
  }

  @Override
  public int available() {
    if (current == null || closed) {
      return 0;
    }
    try {
      return (int) Math.min(current.available(), remaining);
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (current != null) {
      InputStream last = current;
      current = null;
      if (remaining == 0) {
        last.close();
      } else {
        opener.discard(last); // not read to the end: do not drain it
      }
    }
  }
}
