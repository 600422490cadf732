package io.skyplane.testing.faults;

import java.net.ProtocolException;
import java.util.Locale;

/** How a message body is delimited (RFC 9112 section 6). */
record Framing(Type type, long length) {
  enum Type {
    /** No body. */
    NONE,
    /** Exactly {@code length} bytes ({@code Content-Length}). */
    LENGTH,
    /** {@code Transfer-Encoding: chunked}. */
    CHUNKED,
    /** Until the server closes the connection (a response with neither header). */
    UNTIL_CLOSE
  }

  static final Framing NO_BODY = new Framing(Type.NONE, 0);

  /** Whether there may be body bytes (a zero Content-Length has none). */
  boolean hasBody() {
    return type == Type.CHUNKED || type == Type.UNTIL_CLOSE || (type == Type.LENGTH && length > 0);
  }

  /** The body length if the head says it, else -1. */
  long knownLength() {
    return type == Type.LENGTH ? length : -1;
  }

  /** A request's framing: chunked, Content-Length, or none. */
  static Framing request(HttpHead head) throws ProtocolException {
    String te = head.first("Transfer-Encoding");
    if (te != null) {
      if (!lastCodingIsChunked(head)) {
        throw new ProtocolException("request Transfer-Encoding without chunked: " + te);
      }
      return new Framing(Type.CHUNKED, -1);
    }
    long len = contentLength(head);
    return len <= 0 ? NO_BODY : new Framing(Type.LENGTH, len);
  }

  /** A response's framing for the request method and status. */
  static Framing response(HttpHead head, String method, int status) throws ProtocolException {
    if (method.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) {
      return NO_BODY;
    }
    if (head.first("Transfer-Encoding") != null) {
      return lastCodingIsChunked(head) ? new Framing(Type.CHUNKED, -1)
          : new Framing(Type.UNTIL_CLOSE, -1);
    }
    long len = contentLength(head);
    if (len < 0) {
      return new Framing(Type.UNTIL_CLOSE, -1);
    }
    return len == 0 ? NO_BODY : new Framing(Type.LENGTH, len);
  }

  private static boolean lastCodingIsChunked(HttpHead head) {
    String all = String.join(",", head.all("Transfer-Encoding"));
    String[] codings = all.split(",");
    return codings[codings.length - 1].trim().toLowerCase(Locale.ROOT).equals("chunked");
  }

  /** The Content-Length, -1 if absent; fails on bad or conflicting values. */
  private static long contentLength(HttpHead head) throws ProtocolException {
    long len = -1;
    for (String v : head.all("Content-Length")) {
      for (String part : v.split(",")) {
        long n;
        try {
          n = Long.parseLong(part.trim());
        } catch (NumberFormatException e) {
          throw new ProtocolException("bad Content-Length: " + v);
        }
        if (n < 0 || (len >= 0 && n != len)) {
          throw new ProtocolException("bad Content-Length: " + v);
        }
        len = n;
      }
    }
    return len;
  }
}
