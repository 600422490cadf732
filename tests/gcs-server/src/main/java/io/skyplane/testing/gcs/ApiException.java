package io.skyplane.testing.gcs;

import java.util.List;
import java.util.Map;

/** An error answered to the client as a GCS JSON error body with the given status and reason. */
final class ApiException extends Exception {
  private final int status;
  private final String reason;

  ApiException(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  static ApiException notFound(String what) {
    return new ApiException(404, "notFound", "No such object: " + what);
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "invalid", message);
  }

  static ApiException preconditionFailed(String message) {
    return new ApiException(
        412,
        "conditionNotMet",
        "At least one of the pre-conditions you specified did not hold: " + message);
  }

  int status() {
    return status;
  }

  ApiResponse toResponse() {
    Map<String, Object> detail =
        Map.of("domain", "global", "reason", reason, "message", getMessage());
    Map<String, Object> error =
        Map.of("code", status, "message", getMessage(), "errors", List.of(detail));
    return ApiResponse.json(status, Map.of("error", error));
  }
}
