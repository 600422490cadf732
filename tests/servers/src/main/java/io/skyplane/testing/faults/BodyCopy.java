package io.skyplane.testing.faults;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * Streams one body from an {@link HttpIn} to a {@link BodySink} through a caller's buffer, never
 * holding more than that buffer. Failures to read the source come out as {@link SourceFailure};
 * the sink's own exceptions pass through unchanged.
 */
final class BodyCopy {
  private static final int MAX_CHUNK_LINE = 4096;
  private static final byte[] CRLF = {'\r', '\n'};

  private BodyCopy() {}

  /** Copies the body framed as {@code framing}; returns the payload bytes copied. */
  static long copy(HttpIn from, Framing framing, BodySink to, byte[] buf) throws IOException {
    long n = switch (framing.type()) {
      case NONE -> 0;
      case LENGTH -> exactly(from, framing.length(), to, buf);
      case CHUNKED -> chunked(from, to, buf); // calls end() before the last chunk
      case UNTIL_CLOSE -> untilClose(from, to, buf);
    };
    if (framing.type() != Framing.Type.CHUNKED) {
      to.end();
    }
    return n;
  }

  private static long exactly(HttpIn from, long length, BodySink to, byte[] buf)
      throws IOException {
    long left = length;
    while (left > 0) {
      int n = read(from, buf, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new SourceFailure("body ended after " + (length - left) + " of " + length
            + " bytes", new EOFException());
      }
      to.payload(buf, 0, n);
      left -= n;
    }
    return length;
  }

  private static long untilClose(HttpIn from, BodySink to, byte[] buf) throws IOException {
    long total = 0;
    while (true) {
      int n = read(from, buf, buf.length);
      if (n < 0) {
        return total;
      }
      to.payload(buf, 0, n);
      total += n;
    }
  }

  private static long chunked(HttpIn from, BodySink to, byte[] buf) throws IOException {
    long total = 0;
    while (true) {
      String line = line(from);
      long size = chunkSize(line);
      if (size == 0) {
        to.end();
        framing(to, line);
        String trailer;
        while (!(trailer = line(from)).isEmpty()) {
          framing(to, trailer);
        }
        to.framing(CRLF, 0, 2);
        return total;
      }
      framing(to, line);
      total += exactly(from, size, to, buf);
      if (!line(from).isEmpty()) {
        throw new SourceFailure("chunk not followed by CRLF",
            new ProtocolException("bad chunk"));
      }
      to.framing(CRLF, 0, 2);
    }
  }

  private static long chunkSize(String line) throws SourceFailure {
    int semi = line.indexOf(';');
    String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
    try {
      long size = Long.parseLong(hex, 16);
      if (size < 0) {
        throw new NumberFormatException(hex);
      }
      return size;
    } catch (NumberFormatException e) {
      throw new SourceFailure("bad chunk size line: " + line, new ProtocolException(line));
    }
  }

  private static void framing(BodySink to, String line) throws IOException {
    byte[] b = (line + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    to.framing(b, 0, b.length);
  }

  private static String line(HttpIn from) throws SourceFailure {
    try {
      String line = from.readLine(MAX_CHUNK_LINE);
      if (line == null) {
        throw new EOFException("body ended inside chunked framing");
      }
      return line;
    } catch (SourceFailure e) {
      throw e;
    } catch (IOException e) {
      throw new SourceFailure("reading chunked body failed: " + e.getMessage(), e);
    }
  }

  private static int read(HttpIn from, byte[] buf, int len) throws SourceFailure {
    try {
      return from.read(buf, 0, len);
    } catch (IOException e) {
      throw new SourceFailure("reading body failed: " + e.getMessage(), e);
    }
  }
}
