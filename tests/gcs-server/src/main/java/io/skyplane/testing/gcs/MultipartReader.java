package io.skyplane.testing.gcs;

import com.sun.net.httpserver.Headers;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Streams the parts of a MIME multipart body ({@code multipart/related} uploads,
 * {@code multipart/mixed} batches). Part bodies are read through a fixed buffer, so a multi-GiB
 * media part never sits in memory. Parts may have no headers at all (rclone sends its media part
 * like that).
 */
final class MultipartReader {
  private final InputStream in;
  private final byte[] delimiter;
  private final byte[] buf = new byte[1 << 18];
  private int pos;
  private int lim;
  private boolean eof;
  private boolean atDelimiter;
  private boolean done;

  MultipartReader(InputStream in, String boundary) {
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    // A virtual CRLF lets the first boundary line match the delimiter like all the others.
    buf[0] = '\r';
    buf[1] = '\n';
    lim = 2;
  }

  /** The boundary parameter of a multipart Content-Type, unquoted. */
  static String boundary(String contentType) throws ApiException {
    if (contentType != null) {
      for (String param : contentType.split(";")) {
        String p = param.trim();
        if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
          String b = p.substring(9).trim();
          if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
            b = b.substring(1, b.length() - 1);
          }
          return b;
        }
      }
    }
    throw ApiException.badRequest("Multipart request without a boundary: " + contentType);
  }

  /** Skips to the next part and returns its headers, or null after the closing boundary. */
  Headers nextPart() throws IOException {
    if (done) {
      return null;
    }
    byte[] skip = new byte[8192];
    while (read(skip, 0, skip.length) >= 0) {
      // discard the preamble or the rest of the previous part
    }
    pos += delimiter.length;
    atDelimiter = false;
    ensure(2);
    if (lim - pos >= 2 && buf[pos] == '-' && buf[pos + 1] == '-') {
      done = true;
      return null;
    }
    readLine(); // transport padding up to the CRLF ending the boundary line
    Headers headers = new Headers();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    return headers;
  }

  /** The current part's body; ends at the next delimiter. */
  InputStream body() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return MultipartReader.this.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return MultipartReader.this.read(b, off, len);
      }
    };
  }

  private int read(byte[] b, int off, int len) throws IOException {
    if (atDelimiter || len == 0) {
      return atDelimiter ? -1 : 0;
    }
    ensure(delimiter.length);
    int avail = lim - pos;
    int found = indexOfDelimiter();
    int n;
    if (found == pos) {
      atDelimiter = true;
      return -1;
    } else if (found > pos) {
      n = found - pos;
    } else if (eof) {
      throw new EOFException("multipart body ended without its closing boundary");
    } else {
      n = avail - (delimiter.length - 1);
    }
    n = Math.min(n, len);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  private int indexOfDelimiter() {
    byte first = delimiter[0];
    outer:
    for (int i = pos; i <= lim - delimiter.length; i++) {
      if (buf[i] != first) {
        continue;
      }
      for (int j = 1; j < delimiter.length; j++) {
        if (buf[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Makes at least {@code n} bytes available unless the stream ends first. */
  private void ensure(int n) throws IOException {
    if (lim - pos >= n) {
      return;
    }
    System.arraycopy(buf, pos, buf, 0, lim - pos);
    lim -= pos;
    pos = 0;
    while (lim < n && !eof) {
      int r = in.read(buf, lim, buf.length - lim);
      if (r < 0) {
        eof = true;
      } else {
        lim += r;
      }
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      ensure(1);
      if (lim == pos) {
        throw new EOFException("multipart body ended inside a header block");
      }
      byte c = buf[pos++];
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        line.write(c);
      }
      if (line.size() > 16384) {
        throw new IOException("multipart header line too long");
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
