package io.skyplane.store.s3;

import static java.util.Objects.requireNonNull;

import io.skyplane.store.RetryCounter;
import io.skyplane.store.RetryCounter.Cause;
import java.util.List;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Counts the SDK's retries from its per-call metrics: a call's collection has one child per try
 * ("ApiCallAttempt"), and every try but the last failed and was retried; the SDK records why it
 * failed in {@link CoreMetric#ERROR_TYPE} ("Throttling", "ServerError", "IO", "ConfiguredTimeout",
 * "Other"). A 503 counts as throttled even when it has no error code to tell (answers to HEAD have
 * no body): S3 answers 503 to say "slow down".
 */
final class S3RetryMetrics implements MetricPublisher {
  private static final String ATTEMPT = "ApiCallAttempt";

  private final RetryCounter counter;

  S3RetryMetrics(RetryCounter counter) {
    this.counter = requireNonNull(counter, "counter is null");
  }

  @Override
  public void publish(MetricCollection call) {
    List<MetricCollection> attempts = call.childrenWithName(ATTEMPT).toList();
    for (int i = 0; i < attempts.size() - 1; i++) {
      List<String> types = attempts.get(i).metricValues(CoreMetric.ERROR_TYPE);
      List<Integer> status = attempts.get(i).metricValues(HttpMetric.HTTP_STATUS_CODE);
      counter.retried(cause(types.isEmpty() ? "" : types.get(0), status.isEmpty() ? 0 : status.get(0)));
    }
  }

  static Cause cause(String errorType, int status) {
    if (status == 429 || status == 503) {
      return Cause.THROTTLED;
    }
    return switch (errorType) {
      case "Throttling" -> Cause.THROTTLED;
      case "ServerError" -> Cause.SERVER_ERROR;
      default -> Cause.NETWORK; // IO, ConfiguredTimeout (our per-try timeout), Other (client side)
    };
  }

  @Override
  public void close() {}
}
