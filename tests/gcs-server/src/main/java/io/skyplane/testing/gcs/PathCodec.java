package io.skyplane.testing.gcs;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of object names in the URLs the server hands out. */
final class PathCodec {
  private PathCodec() {}

  /** Encodes everything but RFC 3986 unreserved characters, so '/' becomes %2F. */
  static String encodeSegment(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }
}
