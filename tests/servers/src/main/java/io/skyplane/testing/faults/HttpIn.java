package io.skyplane.testing.faults;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A buffered reader of one side of an HTTP/1.1 connection: CRLF lines for heads and chunk sizes,
 * raw bytes for bodies (large reads bypass the buffer). Not thread-safe.
 */
final class HttpIn {
  private final InputStream in;
  private final byte[] buf;
  private int pos;
  private int lim;

  HttpIn(InputStream in, int bufferSize) {
    this.in = in;
    this.buf = new byte[bufferSize];
  }

  /** Bytes read from the socket but not yet consumed. */
  int buffered() {
    return lim - pos;
  }

  /**
   * A line without its CRLF (or bare LF), ISO-8859-1; null at end of stream before any byte.
   *
   * @throws EOFException if the stream ends inside a line
   * @throws ProtocolException if the line is longer than {@code max}
   */
  String readLine(int max) throws IOException {
    byte[] line = null;
    int len = 0;
    while (true) {
      if (pos == lim && fill() < 0) {
        if (line == null) {
          return null;
        }
        throw new EOFException("connection closed inside a line");
      }
      int start = pos;
      int nl = -1;
      for (int i = pos; i < lim; i++) {
        if (buf[i] == '\n') {
          nl = i;
          break;
        }
      }
      int end = nl < 0 ? lim : nl;
      int n = end - start;
      if (len + n > max) {
        throw new ProtocolException("line longer than " + max + " bytes");
      }
      if (line == null) {
        line = new byte[Math.max(64, n)];
      } else if (line.length < len + n) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, len + n));
      }
      System.arraycopy(buf, start, line, len, n);
      len += n;
      if (nl >= 0) {
        pos = nl + 1;
        if (len > 0 && line[len - 1] == '\r') {
          len--;
        }
        return new String(line, 0, len, StandardCharsets.ISO_8859_1);
      }
      pos = lim;
    }
  }

  /** Like {@link InputStream#read(byte[], int, int)}: at least one byte, or -1 at end of stream. */
  int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (pos < lim) {
      int n = Math.min(len, lim - pos);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }
    if (len >= buf.length) {
      return in.read(b, off, len);
    }
    if (fill() < 0) {
      return -1;
    }
    return read(b, off, len);
  }

  /**
   * Waits up to {@code timeoutMillis} for at least one byte.
   *
   * @return false if none came in time
   * @throws EOFException if the stream ended
   */
  boolean awaitData(Socket socket, int timeoutMillis) throws IOException {
    if (pos < lim) {
      return true;
    }
    int before = socket.getSoTimeout();
    socket.setSoTimeout(timeoutMillis);
    try {
      if (fill() < 0) {
        throw new EOFException("connection closed");
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } finally {
      socket.setSoTimeout(before);
    }
  }

  /** Refills the empty buffer with what one read gives; -1 at end of stream. */
  private int fill() throws IOException {
    pos = 0;
    lim = 0;
    int n = in.read(buf, 0, buf.length);
    if (n > 0) {
      lim = n;
    }
    return n;
  }
}
