package io.skyplane.job.report;

import io.skyplane.store.ObjectStore;
import io.skyplane.store.RetryCounts;
import io.skyplane.store.RetryStats;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.Nullable;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * The stores' retry counts ({@link RetryStats}) in the job's report, as two accumulators summed
 * over every subtask: {@link #SOURCE} (the readers' ranged reads) and {@link #DESTINATION} (the
 * writers' and committers' puts, parts, completes, aborts). The client reads them when the job
 * ends. The enumerator's and the client's own calls (listing, starting uploads, sweeps) are not
 * counted.
 */
public final class StoreRetries {
  public static final String SOURCE = "skyplane.retries.source";
  public static final String DESTINATION = "skyplane.retries.destination";

  /**
   * The readers' counts, by run and subtask: a source reader (which has no runtime context) leaves
   * them here, and the compressing operator chained to it, in the same task, adds them to the
   * accumulator when it closes.
   */
  private static final Map<String, RetryCounts> READERS = new ConcurrentHashMap<>();

  private StoreRetries() {}

  /** Sums {@link RetryCounts}. */
  public static final class Counts implements Accumulator<RetryCounts, RetryCounts> {
    private static final long serialVersionUID = 1L;
    private RetryCounts counts = RetryCounts.ZERO;

    @Override
    public void add(RetryCounts value) {
      counts = counts.plus(value);
    }

    @Override
    public RetryCounts getLocalValue() {
      return counts;
    }

    @Override
    public void resetLocal() {
      counts = RetryCounts.ZERO;
    }

    @Override
    public void merge(Accumulator<RetryCounts, RetryCounts> other) {
      counts = counts.plus(other.getLocalValue());
    }

    @Override
    public Counts clone() {
      Counts copy = new Counts();
      copy.counts = counts;
      return copy;
    }
  }

  /** Adds a store's counts to an operator's accumulator {@code name}, once, when it closes. */
  public static void add(RuntimeContext context, String name, @Nullable ObjectStore store) {
    if (store instanceof RetryStats stats) {
      add(context, name, stats.retryCounts());
    }
  }

  public static void add(RuntimeContext context, String name, RetryCounts counts) {
    Accumulator<RetryCounts, RetryCounts> accumulator = context.getAccumulator(name);
    if (accumulator == null) {
      accumulator = new Counts();
      context.addAccumulator(name, accumulator);
    }
    accumulator.add(counts);
  }

  /** A reader's counts so far (cumulative: the newest replaces the last). */
  public static void leave(String run, int subtask, @Nullable ObjectStore store) {
    if (store instanceof RetryStats stats) {
      READERS.put(run + "#" + subtask, stats.retryCounts());
    }
  }

  /** Takes what the reader of {@code subtask} left (zero when none). */
  public static RetryCounts take(String run, int subtask) {
    RetryCounts counts = READERS.remove(run + "#" + subtask);
    return counts == null ? RetryCounts.ZERO : counts;
  }
}
