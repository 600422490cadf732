package io.skyplane.testing.gcs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The state of one resumable upload session: where it goes and the bytes received so far (on
 * disk). Callers synchronize on the instance.
 */
record ResumableUpload(
    String bucket,
    String name,
    ObjectAttrs attrs,
    Map<String, Object> meta,
    Preconditions preconditions,
    StagedFile staged) {

  /**
   * Appends one PUT's body as described by its Content-Range ({@code bytes a-b/total},
   * {@code bytes a-b/*}, {@code bytes *}{@code /total}, or absent for a one-shot upload). Bytes the
   * server already has are skipped; a chunk that starts past the received length is ignored, so
   * the 308 answer tells the client where to resume.
   *
   * @return the total size once the client has declared it, else null
   */
  Long receive(String contentRange, InputStream body) throws ApiException, IOException {
    if (contentRange == null || contentRange.isBlank()) {
      staged.append(body, -1);
      return staged.size();
    }
    String spec = contentRange.trim();
    if (!spec.startsWith("bytes ")) {
      throw ApiException.badRequest("Invalid Content-Range: " + contentRange);
    }
    spec = spec.substring(6).trim();
    int slash = spec.indexOf('/');
    if (slash < 0) {
      throw ApiException.badRequest("Invalid Content-Range: " + contentRange);
    }
    String range = spec.substring(0, slash);
    String totalText = spec.substring(slash + 1);
    Long total;
    try {
      total = "*".equals(totalText) ? null : Long.parseLong(totalText);
      if (!"*".equals(range)) {
        int dash = range.indexOf('-');
        long first = Long.parseLong(range.substring(0, dash));
        long last = Long.parseLong(range.substring(dash + 1));
        long received = staged.size();
        if (first <= received) {
          discard(body, Math.min(received - first, last + 1 - first));
          long want = last + 1 - received;
          if (want > 0) {
            staged.append(body, want);
          }
        }
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw ApiException.badRequest("Invalid Content-Range: " + contentRange);
    }
    return total;
  }

  /**
   * Reads and drops {@code n} bytes. Not {@code skip}: the JDK server's request stream forwards
   * skip to the socket without counting it against Content-Length, which corrupts keep-alive.
   */
  private static void discard(InputStream in, long n) throws IOException {
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new java.io.EOFException("request body shorter than its Content-Range");
      }
      n -= r;
    }
  }
}
