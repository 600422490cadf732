package io.skyplane.testing.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreErrorsTest {
  private static final HttpHead AZURE_REQUEST = new HttpHead("PUT /devstoreaccount1/c/b HTTP/1.1",
      List.of(new HttpHead.Header("x-ms-version", "2025-01-05", "x-ms-version: 2025-01-05"),
          new HttpHead.Header("x-ms-client-request-id", "abc-123",
              "x-ms-client-request-id: abc-123")));
  private static final HttpHead PLAIN = new HttpHead("GET / HTTP/1.1", List.of());

  @Test
  void s3ThrottleIsSlowDown() {
    StoreErrors.Response r = StoreErrors.response(StoreFlavour.S3, true, 503, PLAIN, false);
    assertThat(head(r)).startsWith("HTTP/1.1 503 Slow Down\r\n")
        .contains("Content-Type: application/xml", "x-amz-request-id: ", "x-amz-id-2: ",
            "Content-Length: " + r.body().length)
        .doesNotContain("Connection: close");
    assertThat(body(r)).startsWith("<?xml").contains("<Error><Code>SlowDown</Code>"
        + "<Message>Please reduce your request rate.</Message><RequestId>");
  }

  @Test
  void s3ErrorsAreInternalErrorOrServiceUnavailable() {
    assertThat(body(StoreErrors.response(StoreFlavour.S3, false, 500, PLAIN, true)))
        .contains("<Code>InternalError</Code>");
    assertThat(body(StoreErrors.response(StoreFlavour.S3, false, 503, PLAIN, true)))
        .contains("<Code>ServiceUnavailable</Code>");
    assertThat(head(StoreErrors.response(StoreFlavour.S3, false, 500, PLAIN, true)))
        .startsWith("HTTP/1.1 500 Internal Server Error").contains("Connection: close");
  }

  @Test
  @SuppressWarnings("unchecked")
  void gcsThrottleIsRateLimitExceededJson() {
    StoreErrors.Response r = StoreErrors.response(StoreFlavour.GCS, true, 429, PLAIN, false);
    assertThat(head(r)).startsWith("HTTP/1.1 429 Too Many Requests")
        .contains("Content-Type: application/json; charset=UTF-8");
    Map<String, Object> error = (Map<String, Object>) ((Map<String, Object>) MiniJson.parse(
        body(r))).get("error");
    assertThat(error).containsEntry("code", 429L);
    Map<String, Object> first = ((List<Map<String, Object>>) error.get("errors")).get(0);
    assertThat(first).containsEntry("reason", "rateLimitExceeded")
        .containsEntry("domain", "usageLimits");
    Map<String, Object> internal = (Map<String, Object>) ((Map<String, Object>) MiniJson.parse(
        body(StoreErrors.response(StoreFlavour.GCS, false, 500, PLAIN, false)))).get("error");
    assertThat(((List<Map<String, Object>>) internal.get("errors")).get(0))
        .containsEntry("reason", "backendError");
  }

  @Test
  void azureThrottleIsServerBusyWithItsHeaders() {
    StoreErrors.Response r = StoreErrors.response(StoreFlavour.AZURE, true, 503, AZURE_REQUEST,
        false);
    assertThat(head(r)).startsWith("HTTP/1.1 503 Service Unavailable")
        .contains("x-ms-error-code: ServerBusy", "x-ms-version: 2025-01-05",
            "x-ms-client-request-id: abc-123", "x-ms-request-id: ");
    assertThat(body(r)).contains("<Error><Code>ServerBusy</Code><Message>The server is busy.");
    assertThat(head(StoreErrors.response(StoreFlavour.AZURE, false, 500, AZURE_REQUEST, false)))
        .contains("x-ms-error-code: InternalError");
  }

  private static String head(StoreErrors.Response r) {
    return new String(r.head(), StandardCharsets.ISO_8859_1);
  }

  private static String body(StoreErrors.Response r) {
    return new String(r.body(), StandardCharsets.UTF_8).replace("\uFEFF", "");
  }
}
