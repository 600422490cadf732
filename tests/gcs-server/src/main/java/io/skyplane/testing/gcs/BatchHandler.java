package io.skyplane.testing.gcs;

import com.sun.net.httpserver.Headers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * {@code POST /batch/storage/v1}: a multipart/mixed body of {@code application/http} parts, each
 * one request, answered by a multipart/mixed body of responses in the same order with
 * {@code Content-ID: <response-ID>}. Sub-requests go through the same router as direct ones.
 */
final class BatchHandler {
  private static final int MAX_PARTS = 1000;

  private final Router router;

  BatchHandler(Router router) {
    this.router = router;
  }

  ApiResponse handle(ApiRequest r) throws ApiException, IOException {
    MultipartReader parts = new MultipartReader(r.body(),
        MultipartReader.boundary(r.header("Content-Type")));
    String boundary = "batch_" + UUID.randomUUID().toString().replace("-", "");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int count = 0;
    for (Headers h = parts.nextPart(); h != null; h = parts.nextPart()) {
      if (++count > MAX_PARTS) {
        throw ApiException.badRequest("batch with more than " + MAX_PARTS + " parts");
      }
      byte[] part = parts.body().readNBytes(64 << 20);
      ApiResponse resp = router.handle(parseRequest(part, r));
      String id = h.getFirst("Content-ID");
      write(out, "--" + boundary + "\r\nContent-Type: application/http\r\n");
      if (id != null) {
        String bare = id.startsWith("<") && id.endsWith(">") ? id.substring(1, id.length() - 1)
            : id;
        write(out, "Content-ID: <response-" + bare + ">\r\n");
      }
      write(out, "\r\nHTTP/1.1 " + resp.status() + " " + reason(resp.status()) + "\r\n");
      resp.headers().forEach((k, vs) -> vs.forEach(v -> write(out, k + ": " + v + "\r\n")));
      write(out, "Content-Length: " + resp.length() + "\r\n\r\n");
      resp.writeBody(out);
      write(out, "\r\n");
    }
    write(out, "--" + boundary + "--\r\n");
    return ApiResponse.bytes(200, out.toByteArray())
        .header("Content-Type", "multipart/mixed; boundary=" + boundary);
  }

  /** Parses one {@code application/http} part: request line, headers, blank line, body. */
  private static ApiRequest parseRequest(byte[] part, ApiRequest outer) throws ApiException {
    String text = new String(part, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    int sep = 4;
    if (headEnd < 0) {
      headEnd = text.indexOf("\n\n");
      sep = 2;
    }
    String head = headEnd < 0 ? text : text.substring(0, headEnd);
    byte[] body = headEnd < 0 ? new byte[0]
        : java.util.Arrays.copyOfRange(part, headEnd + sep, part.length);
    String[] lines = head.split("\r?\n");
    String[] requestLine = lines[0].trim().split(" ");
    if (requestLine.length < 2) {
      throw ApiException.badRequest("batch part without a request line: " + lines[0]);
    }
    Headers headers = new Headers();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
      }
    }
    String length = headers.getFirst("Content-Length");
    if (length != null) {
      int n = Integer.parseInt(length.trim());
      if (n < body.length) {
        body = java.util.Arrays.copyOf(body, n);
      }
    }
    URI uri = URI.create(requestLine[1]);
    String method = headers.getFirst("X-HTTP-Method-Override") != null
        ? headers.getFirst("X-HTTP-Method-Override") : requestLine[0];
    return new ApiRequest(method.toUpperCase(), uri.getRawPath(),
        ApiRequest.parseQuery(uri.getRawQuery()), headers, new ByteArrayInputStream(body),
        outer.baseUrl());
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 204 -> "No Content";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 412 -> "Precondition Failed";
      default -> "Status";
    };
  }
}
