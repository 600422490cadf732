package io.skyplane.store.azure;

import static java.util.Objects.requireNonNull;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpLoggingPolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.skyplane.store.PartStream;
import io.skyplane.store.RetryCounter;
import io.skyplane.store.RetryCounter.Cause;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * Runs once per try of every request, after the storage SDK's retry policy ({@link
 * HttpPipelinePosition#PER_RETRY}), and does two things the SDK's policy does not:
 *
 * <ul>
 *   <li>adds jitter to its back-off: before a retry (try 2 and later) waits a random extra of up to
 *       half the SDK's own delay for that try, so that requests that failed together do not retry
 *       together (the SDK's exponential delays are fixed);
 *   <li>counts every failed try the SDK will retry ({@link RetryCounter}): 429 and 503 as throttled,
 *       500 as a server error, an {@link IOException} or timeout as a network error (the SDK retries
 *       exactly these, while tries remain);
 *   <li>keeps the SDK from retrying a streamed part whose own data failed ({@link PartStream}):
 *       that failure is handed on without its I/O causes, which the retry policy would retry.
 * </ul>
 *
 * <p>It also works around a bug between the storage SDK's asynchronous retry and the JDK HTTP
 * client (azure-storage-common 12.34, azure-core-http-jdk-httpclient 1.1.2): on a status it
 * retries, the retry policy closes the response (which subscribes to its body) and then subscribes
 * to the body again to drain it; the JDK's body publisher takes one subscriber only, so the call
 * fails with "This publisher has already one subscriber" instead of being retried (seen on every
 * download answered 503). On the asynchronous path (downloads), such an answer is drained here and
 * handed to the retry policy as a {@link RetriedStatus} failure, which it retries like any I/O
 * failure; the last try's answer is passed on as it is, so the SDK's own error (and its status)
 * reaches the caller.
 */
final class AzureTryPolicy implements HttpPipelinePolicy {
  private final RetryCounter counter;
  private final int maxTries;
  private final Duration retryDelay;
  private final Duration maxRetryDelay;

  AzureTryPolicy(RetryCounter counter, int maxTries, Duration retryDelay, Duration maxRetryDelay) {
    this.counter = requireNonNull(counter, "counter is null");
    this.maxTries = maxTries;
    this.retryDelay = requireNonNull(retryDelay, "retryDelay is null");
    this.maxRetryDelay = requireNonNull(maxRetryDelay, "maxRetryDelay is null");
  }

  @Override
  public HttpPipelinePosition getPipelinePosition() {
    return HttpPipelinePosition.PER_RETRY;
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    int attempt = attempt(context);
    long jitter = jitterMillis(attempt);
    Mono<HttpResponse> send = next.process()
        .flatMap(response -> {
          int status = response.getStatusCode();
          countStatus(status, attempt);
          if (attempt >= maxTries || !isRetriedStatus(status)) {
            return Mono.just(response);
          }
          RetriedStatus failure = new RetriedStatus(status, response.getHeaderValue("x-ms-error-code"));
          return response.getBody().ignoreElements().onErrorResume(e -> Mono.empty())
              .then(Mono.<HttpResponse>error(failure));
        })
        .doOnError(error -> countError(error, attempt))
        // A streamed part whose own data failed: hand on that failure, which has no I/O cause, so
        // that the retry policy does not send the part again (it retries any I/O failure).
        .onErrorMap(PartStream::isSourceFailure, PartStream::sourceFailureOr);
    return jitter > 0 ? Mono.delay(Duration.ofMillis(jitter)).then(send) : send;
  }

  @Override
  public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
    int attempt = attempt(context);
    long jitter = jitterMillis(attempt);
    if (jitter > 0) {
      try {
        Thread.sleep(jitter);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RuntimeException("interrupted before a retry", e);
      }
    }
    try {
      HttpResponse response = next.processSync();
      countStatus(response.getStatusCode(), attempt);
      return response;
    } catch (RuntimeException e) {
      countError(e, attempt);
      throw e;
    }
  }

  /** The SDK's delay before try {@code attempt} is (2^(attempt-1) - 1) * retryDelay, capped. */
  long jitterMillis(int attempt) {
    if (attempt < 2) {
      return 0;
    }
    long sdkDelay = Math.min(maxRetryDelay.toMillis(),
        ((1L << Math.min(attempt - 1, 30)) - 1) * retryDelay.toMillis());
    return ThreadLocalRandom.current().nextLong(sdkDelay / 2 + 1);
  }

  private static int attempt(HttpPipelineCallContext context) {
    Object n = context.getData(HttpLoggingPolicy.RETRY_COUNT_CONTEXT).orElse(1);
    return n instanceof Integer i ? i : 1;
  }

  /** The statuses the storage SDK retries. */
  static boolean isRetriedStatus(int status) {
    return status == 429 || status == 500 || status == 503;
  }

  /** A retried status, as a failure the storage SDK's asynchronous retry handles (see above). */
  static final class RetriedStatus extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    RetriedStatus(int status, String errorCode) {
      super("HTTP " + status + (errorCode == null ? "" : " " + errorCode) + ", tried again");
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  private void countStatus(int status, int attempt) {
    if (attempt >= maxTries) {
      return;
    }
    if (status == 429 || status == 503) {
      counter.retried(Cause.THROTTLED);
    } else if (status == 500) {
      counter.retried(Cause.SERVER_ERROR);
    }
  }

  private void countError(Throwable error, int attempt) {
    if (attempt >= maxTries || error instanceof RetriedStatus || PartStream.isSourceFailure(error)) {
      return; // a RetriedStatus was counted by its status; a failed part's data is not retried
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException) {
        counter.retried(Cause.NETWORK);
        return;
      }
    }
  }

}
