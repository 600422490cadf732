package io.skyplane.testing.gcs;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One JSON-API request, from the socket or from a part of a batch request.
 *
 * @param method HTTP method after {@code X-HTTP-Method-Override}
 * @param rawPath the undecoded path (object names are decoded segment by segment)
 * @param query decoded query parameters (first value wins)
 * @param headers request headers (case-insensitive)
 * @param body request body, already un-gzipped
 * @param baseUrl scheme and authority the client used, for links in responses
 */
record ApiRequest(
    String method,
    String rawPath,
    Map<String, String> query,
    Headers headers,
    InputStream body,
    String baseUrl) {

  ApiRequest {
    Objects.requireNonNull(method, "method is null");
    Objects.requireNonNull(rawPath, "rawPath is null");
    query = Map.copyOf(query);
    Objects.requireNonNull(headers, "headers is null");
    Objects.requireNonNull(body, "body is null");
    Objects.requireNonNull(baseUrl, "baseUrl is null");
  }

  String param(String name) {
    return query.get(name);
  }

  Long longParam(String name) throws ApiException {
    String v = query.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Invalid value for " + name + ": " + v);
    }
  }

  boolean boolParam(String name) {
    return "true".equalsIgnoreCase(query.get(name));
  }

  String header(String name) {
    return headers.getFirst(name);
  }

  /** Reads the whole body as UTF-8; only for small (JSON) bodies. */
  String bodyText() throws IOException {
    return new String(body.readNBytes(16 << 20), StandardCharsets.UTF_8);
  }

  static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> out = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.putIfAbsent(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Percent-decodes a path segment as UTF-8; '+' stays a plus sign. */
  static String decodePath(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
