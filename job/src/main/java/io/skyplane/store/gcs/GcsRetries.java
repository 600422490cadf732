package io.skyplane.store.gcs;

import static java.util.Objects.requireNonNull;

import com.google.api.gax.retrying.ResultRetryAlgorithm;
import com.google.api.gax.retrying.TimedAttemptSettings;
import com.google.cloud.BaseServiceException;
import com.google.cloud.storage.StorageRetryStrategy;
import io.skyplane.store.PartStream;
import io.skyplane.store.RetryCounter;
import io.skyplane.store.RetryCounter.Cause;
import java.io.IOException;

/**
 * The client's uniform retry strategy (every request we send may be retried: whole-object writes of
 * the same bytes, compose with a generation precondition, deletes), counting every failed try it
 * lets the client retry.
 *
 * <p>The client's read channel resumes a broken download by itself: it asks this strategy whether
 * the stream's failure is retryable and re-opens the object at the byte reached (pinned to the
 * generation it reads), with no limit and no back-off. While a {@link ReadBudget} is active on the
 * calling thread (a read of {@link GcsStore}'s stream), such an I/O failure counts as a resumed
 * read, and after the budget's breaks in a row without progress the strategy says no, so the read
 * fails; an error answer to the (re-)opening request counts as the client's retry, as elsewhere.
 *
 * <p>A try that failed is counted when the strategy allows a retry; the client may still stop
 * because its attempts or total time ran out, so a request that failed for good counts its last try
 * too.
 */
final class GcsRetries implements StorageRetryStrategy {
  private static final long serialVersionUID = 1L;

  private final StorageRetryStrategy uniform = StorageRetryStrategy.getUniformStorageRetryStrategy();
  private final transient RetryCounter counter;
  private final transient ThreadLocal<ReadBudget> reading = new ThreadLocal<>();

  GcsRetries(RetryCounter counter) {
    this.counter = requireNonNull(counter, "counter is null");
  }

  @Override
  public ResultRetryAlgorithm<?> getIdempotentHandler() {
    return new Counting<>(uniform.getIdempotentHandler());
  }

  @Override
  public ResultRetryAlgorithm<?> getNonidempotentHandler() {
    return new Counting<>(uniform.getNonidempotentHandler());
  }

  /**
   * The retry decision for calls that run their tries with gax's retry helper ({@link
   * GcsPartUpload}), which asks twice per failure: the uniform strategy's answer, never a retry of a
   * streamed part whose data failed, and no counting (the caller counts each try it starts again,
   * {@link #retried}).
   */
  ResultRetryAlgorithm<?> uncounted() {
    ResultRetryAlgorithm<Object> delegate = (ResultRetryAlgorithm<Object>) uniform.getIdempotentHandler();
    return new ResultRetryAlgorithm<Object>() {
      @Override
      public TimedAttemptSettings createNextAttempt(Throwable previousThrowable, Object previousResponse,
          TimedAttemptSettings previousSettings) {
        return delegate.createNextAttempt(previousThrowable, previousResponse, previousSettings);
      }

      @Override
      public boolean shouldRetry(Throwable previousThrowable, Object previousResponse) {
        return !(previousThrowable != null && PartStream.isSourceFailure(previousThrowable))
            && delegate.shouldRetry(previousThrowable, previousResponse);
      }
    };
  }

  /** Counts a try that failed with {@code failure} and is being tried again. */
  void retried(Throwable failure) {
    if (counter != null) {
      counter.retried(cause(failure));
    }
  }

  /** Makes {@code budget} the active one of this thread until {@link #endRead()}. */
  void beginRead(ReadBudget budget) {
    reading.set(budget);
  }

  void endRead() {
    reading.remove();
  }

  static Cause cause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BaseServiceException service && service.getCode() > 0) {
        int code = service.getCode();
        return code == 429 || code == 503 ? Cause.THROTTLED : code >= 500 ? Cause.SERVER_ERROR : Cause.NETWORK;
      }
      if (t instanceof IOException) {
        return Cause.NETWORK;
      }
    }
    return Cause.NETWORK;
  }

  /** How often one read may break in a row without progress; see the class comment. */
  static final class ReadBudget {
    private final int maxResumes;
    private int breaksInARow;

    ReadBudget(int maxResumes) {
      this.maxResumes = maxResumes;
    }

    /** Bytes arrived: the breaks before do not count any more. */
    void progress() {
      breaksInARow = 0;
    }

    boolean allowResume() {
      if (breaksInARow >= maxResumes) {
        return false;
      }
      breaksInARow++;
      return true;
    }
  }

  private final class Counting<T> implements ResultRetryAlgorithm<T> {
    private final ResultRetryAlgorithm<T> delegate;

    Counting(ResultRetryAlgorithm<T> delegate) {
      this.delegate = delegate;
    }

    @Override
    public TimedAttemptSettings createNextAttempt(Throwable previousThrowable, T previousResponse,
        TimedAttemptSettings previousSettings) {
      return delegate.createNextAttempt(previousThrowable, previousResponse, previousSettings);
    }

    @Override
    public boolean shouldRetry(Throwable previousThrowable, T previousResponse) {
      boolean retry = delegate.shouldRetry(previousThrowable, previousResponse);
      if (!retry || previousThrowable == null || counter == null) {
        return retry;
      }
      ReadBudget budget = reading.get();
      Cause cause = cause(previousThrowable);
      if (budget == null || cause != Cause.NETWORK) {
        counter.retried(cause); // a request answered with an error: the client's retry
        return true;
      }
      if (!budget.allowResume()) {
        return false;
      }
      counter.resumedRead();
      return true;
    }
  }
}
