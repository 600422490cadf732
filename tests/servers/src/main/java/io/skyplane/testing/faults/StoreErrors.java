package io.skyplane.testing.faults;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The error answers the real stores give, for the proxy to send instead of forwarding: S3's XML
 * {@code <Error>} with {@code x-amz-request-id}, GCS's JSON {@code {"error":{...}}}, Azure's XML
 * {@code <Error>} with {@code x-ms-error-code}.
 */
final class StoreErrors {
  private static final AtomicLong IDS = new AtomicLong(0x5EED0000L);

  /** A complete response: head bytes and body bytes (the body is not sent for HEAD). */
  record Response(int status, byte[] head, byte[] body) {}

  private StoreErrors() {}

  /**
   * The answer of {@code flavour} for a throttled request ({@code throttle}) or an error status.
   *
   * @param request the client's head (Azure echoes {@code x-ms-client-request-id} and the version)
   * @param close whether to add {@code Connection: close}
   */
  static Response response(StoreFlavour flavour, boolean throttle, int status, HttpHead request,
      boolean close) {
    long id = IDS.incrementAndGet();
    List<String> headers = new ArrayList<>();
    headers.add("Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.now(ZoneOffset.UTC)));
    String body;
    String reason = reason(status);
    switch (flavour) {
      case S3 -> {
        String[] cm = s3(throttle, status);
        if (throttle && status == 503) {
          reason = "Slow Down";
        }
        String requestId = String.format("%016X", id);
        String hostId = java.util.Base64.getEncoder().encodeToString(
            ("fault-proxy-" + requestId).getBytes(StandardCharsets.US_ASCII));
        body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + cm[0]
            + "</Code><Message>" + cm[1] + "</Message><RequestId>" + requestId
            + "</RequestId><HostId>" + hostId + "</HostId></Error>";
        headers.add("Content-Type: application/xml");
        headers.add("x-amz-request-id: " + requestId);
        headers.add("x-amz-id-2: " + hostId);
        headers.add("Server: AmazonS3");
      }
      case GCS -> {
        String[] rm = gcs(throttle, status);
        String message = json(rm[1]);
        body = "{\"error\":{\"code\":" + status + ",\"message\":\"" + message
            + "\",\"errors\":[{\"message\":\"" + message + "\",\"domain\":\"" + rm[2]
            + "\",\"reason\":\"" + rm[0] + "\"}]}}";
        headers.add("Content-Type: application/json; charset=UTF-8");
        headers.add("X-GUploader-UploadID: fault-proxy-" + Long.toHexString(id));
        headers.add("Server: UploadServer");
      }
      case AZURE -> {
        String[] cm = azure(throttle, status);
        String requestId = new UUID(0x5EEDFA017L, id).toString();
        body = "\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + cm[0]
            + "</Code><Message>" + cm[1] + "\nRequestId:" + requestId + "\nTime:"
            + DateTimeFormatter.ISO_INSTANT.format(java.time.Instant.now()) + "</Message></Error>";
        headers.add("Content-Type: application/xml");
        headers.add("Server: Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0");
        headers.add("x-ms-request-id: " + requestId);
        String version = request.first("x-ms-version");
        headers.add("x-ms-version: " + (version == null ? "2021-12-02" : version));
        String clientId = request.first("x-ms-client-request-id");
        if (clientId != null) {
          headers.add("x-ms-client-request-id: " + clientId);
        }
        headers.add("x-ms-error-code: " + cm[0]);
      }
      default -> throw new IllegalStateException("unknown flavour " + flavour);
    }
    byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
    headers.add("Content-Length: " + bodyBytes.length);
    if (close) {
      headers.add("Connection: close");
    }
    StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " " + reason + "\r\n");
    headers.forEach(h -> head.append(h).append("\r\n"));
    head.append("\r\n");
    return new Response(status, head.toString().getBytes(StandardCharsets.ISO_8859_1), bodyBytes);
  }

  /** A plain-text answer of the proxy itself (a malformed request, an unreachable store). */
  static Response proxyError(int status, String message) {
    byte[] body = ("fault proxy: " + message + "\n").getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length
        + "\r\nConnection: close\r\n\r\n";
    return new Response(status, head.getBytes(StandardCharsets.ISO_8859_1), body);
  }

  /** S3 error code and message. */
  private static String[] s3(boolean throttle, int status) {
    if (throttle) {
      return new String[] {"SlowDown", "Please reduce your request rate."};
    }
    return switch (status) {
      case 429 -> new String[] {"SlowDown", "Please reduce your request rate."};
      case 503 -> new String[] {"ServiceUnavailable", "Please reduce your request rate."};
      case 502 -> new String[] {"InternalError", "Bad Gateway. Please try again."};
      case 504 -> new String[] {"InternalError", "Gateway Timeout. Please try again."};
      default -> new String[] {"InternalError",
          "We encountered an internal error. Please try again."};
    };
  }

  /** GCS reason, message and domain. */
  private static String[] gcs(boolean throttle, int status) {
    if (throttle || status == 429) {
      return new String[] {"rateLimitExceeded", "The object exceeded the rate limit for object"
          + " mutation operations (create, update, and delete). Please reduce your request rate.",
          "usageLimits"};
    }
    return switch (status) {
      case 502 -> new String[] {"backendError", "Bad Gateway", "global"};
      case 503 -> new String[] {"backendError", "Service Unavailable", "global"};
      case 504 -> new String[] {"backendError", "Gateway Timeout", "global"};
      default -> new String[] {"backendError",
          "We encountered an internal error. Please try again.", "global"};
    };
  }

  /** Azure error code and message. */
  private static String[] azure(boolean throttle, int status) {
    if (throttle || status == 503 || status == 429) {
      return new String[] {"ServerBusy", "The server is busy."};
    }
    return switch (status) {
      case 504 -> new String[] {"OperationTimedOut",
          "Operation could not be completed within the specified time."};
      default -> new String[] {"InternalError",
          "Server encountered an internal error. Please try again after some time."};
    };
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Error";
    };
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
