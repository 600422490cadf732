package io.skyplane.testing.gcs;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A response: status, headers and a body of known length written on demand. */
final class ApiResponse {
  /** Writes exactly {@link ApiResponse#length()} bytes. */
  interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  private final int status;
  private final Headers headers = new Headers();
  private final long length;
  private final BodyWriter body;

  private ApiResponse(int status, long length, BodyWriter body) {
    this.status = status;
    this.length = length;
    this.body = body;
  }

  static ApiResponse json(int status, Object json) {
    byte[] bytes = Json.write(json).getBytes(StandardCharsets.UTF_8);
    ApiResponse r = bytes(status, bytes);
    r.header("Content-Type", "application/json; charset=UTF-8");
    return r;
  }

  static ApiResponse bytes(int status, byte[] bytes) {
    return new ApiResponse(status, bytes.length, out -> out.write(bytes));
  }

  static ApiResponse empty(int status) {
    return new ApiResponse(status, 0, out -> {});
  }

  static ApiResponse stream(int status, long length, BodyWriter body) {
    return new ApiResponse(status, length, body);
  }

  ApiResponse header(String name, String value) {
    headers.set(name, value);
    return this;
  }

  int status() {
    return status;
  }

  Headers headers() {
    return headers;
  }

  long length() {
    return length;
  }

  void writeBody(OutputStream out) throws IOException {
    body.writeTo(out);
  }
}
