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
  private final String uri;
  private long remaining;

  /** @param uri the object's URI, for the message */
  public ExactLengthInputStream(InputStream in, long length, String uri) {
    super(in);
    this.remaining = length;
    this.uri = uri;
  }

  @Override
  public int read() throws IOException {
    if (remaining == 0) {
      return -1;
    }
    int b = super.read();
    if (b < 0) {
      throw truncated();
    }
    remaining--;
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (remaining == 0) {
      return len == 0 ? 0 : -1;
    }
    int n = super.read(b, off, (int) Math.min(len, remaining));
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
