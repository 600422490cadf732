package io.skyplane.store;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Yields exactly {@code length} bytes of the underlying stream, failing with a {@link
 * StoreException.Kind#RETRYABLE} error when it ends early; for {@link ObjectStore#read} implementations.
 */
public final class ExactLengthInputStream extends FilterInputStream {
  /** Turns a provider's read failure into a {@link StoreException}. */
  @FunctionalInterface
  public interface Translator {
    StoreException translate(String action, String uri, Throwable failure);
  }

  private final String uri;
  private final Translator translator;
  private long remaining;

  /** @param uri the object's URI, for the message */
  public ExactLengthInputStream(InputStream in, long length, String uri) {
    this(in, length, uri, null);
  }

  /**
   * @param uri the object's URI, for the message
   * @param translator translates failures of the underlying stream (null: passed on as they are)
   */
  public ExactLengthInputStream(InputStream in, long length, String uri, Translator translator) {
    super(in);
    this.remaining = length;
    this.uri = uri;
    this.translator = translator;
  }

  private int readUnderlying(byte[] b, int off, int len) throws IOException {
    if (translator == null) {
      return super.read(b, off, len);
    }
    try {
      return super.read(b, off, len);
    } catch (IOException | RuntimeException e) {
      throw translator.translate("read", uri, e);
    }
  }

  @Override
  public int read() throws IOException {
    if (remaining == 0) {
      return -1;
    }
    byte[] one = new byte[1];
    int n;
    while ((n = readUnderlying(one, 0, 1)) == 0) {
      // a stream may answer 0 for a 1-byte read; ask again
    }
    if (n < 0) {
      throw truncated();
    }
    remaining--;
    return one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (remaining == 0) {
      return len == 0 ? 0 : -1;
    }
    int n = readUnderlying(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw truncated();
    }
    remaining -= n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(Math.min(n, remaining));
    remaining -= skipped;
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(super.available(), remaining);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private StoreException truncated() {
    return new StoreException(StoreException.Kind.RETRYABLE,
        "cannot read " + uri + ": the stream ended " + remaining + " bytes early", new EOFException());
  }
}
