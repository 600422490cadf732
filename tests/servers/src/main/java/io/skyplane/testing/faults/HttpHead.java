package io.skyplane.testing.faults;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The start line and header lines of a request or response, kept as received so that forwarding
 * them is byte-exact ({@link #bytes()} rewrites a line only where {@link #withConnectionClose()}
 * changed it).
 */
record HttpHead(String startLine, List<Header> headers) {
  private static final int MAX_LINE = 16 * 1024;
  private static final int MAX_HEADERS = 200;

  /** One header: name, trimmed value, and the line as received. */
  record Header(String name, String value, String raw) {}

  HttpHead {
    Objects.requireNonNull(startLine, "startLine is null");
    headers = List.copyOf(headers);
  }

  /**
   * Reads a head; null if the stream ends cleanly before its first byte.
   *
   * @throws ProtocolException on a malformed or oversized head
   * @throws EOFException if the stream ends inside the head
   */
  static HttpHead read(HttpIn in, int maxBytes) throws IOException {
    String start = in.readLine(MAX_LINE);
    int blanks = 0;
    while (start != null && start.isEmpty() && blanks++ < 8) {
      start = in.readLine(MAX_LINE); // tolerated CRLFs between messages
    }
    if (start == null) {
      return null;
    }
    int total = start.length();
    List<Header> headers = new ArrayList<>();
    while (true) {
      String line = in.readLine(MAX_LINE);
      if (line == null) {
        throw new EOFException("connection closed inside the header");
      }
      if (line.isEmpty()) {
        return new HttpHead(start, headers);
      }
      total += line.length() + 2;
      if (total > maxBytes || headers.size() >= MAX_HEADERS) {
        throw new ProtocolException("header larger than " + maxBytes + " bytes");
      }
      if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !headers.isEmpty()) {
        Header last = headers.remove(headers.size() - 1); // obsolete line folding
        headers.add(new Header(last.name(), last.value() + " " + line.trim(),
            last.raw() + "\r\n" + line));
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ProtocolException("bad header line: " + line);
      }
      headers.add(new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim(),
          line));
    }
  }

  /** The first value of a header (case-insensitive name), or null. */
  String first(String name) {
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        return h.value();
      }
    }
    return null;
  }

  /** All values of a header, in order. */
  List<String> all(String name) {
    List<String> values = new ArrayList<>();
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        values.add(h.value());
      }
    }
    return values;
  }

  /** Whether a comma-separated header (e.g. Connection) lists {@code token} (any case). */
  boolean hasToken(String name, String token) {
    for (String v : all(name)) {
      for (String t : v.split(",")) {
        if (t.trim().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The version of the start line's protocol: "HTTP/1.1" for a request's third or a response's first word. */
  String version(boolean request) {
    String[] parts = startLine.split(" ", 3);
    String v = request ? (parts.length == 3 ? parts[2] : "") : parts[0];
    return v.toUpperCase(Locale.ROOT);
  }

  /** This head with {@code Connection: close} in place of any Connection/Keep-Alive header. */
  HttpHead withConnectionClose() {
    List<Header> kept = new ArrayList<>();
    for (Header h : headers) {
      if (!h.name().equalsIgnoreCase("Connection") && !h.name().equalsIgnoreCase("Keep-Alive")) {
        kept.add(h);
      }
    }
    kept.add(new Header("Connection", "close", "Connection: close"));
    return new HttpHead(startLine, kept);
  }

  /** The head as sent on the wire, ending with the blank line. */
  byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + headers.size() * 64);
    out.writeBytes(startLine.getBytes(StandardCharsets.ISO_8859_1));
    out.write('\r');
    out.write('\n');
    for (Header h : headers) {
      out.writeBytes(h.raw().getBytes(StandardCharsets.ISO_8859_1));
      out.write('\r');
      out.write('\n');
    }
    out.write('\r');
    out.write('\n');
    return out.toByteArray();
  }
}
