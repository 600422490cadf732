package io.skyplane.job.transfer;

import io.skyplane.job.model.JobTotals;
import java.util.ArrayList;
import java.util.List;

/**
 * A transfer's progress as the client knows it: what was listed, and the newest totals the job
 * reported ({@link JobTotals} of its newest attempt: a restarted job copies again every object, so
 * older attempts' totals are dropped, never added). Read by the progress printer while the
 * runner's thread updates it.
 */
public final class TransferProgress {
  private final long expectedObjects;
  private final long expectedBytes;
  private final long startMillis;
  private JobTotals totals = new JobTotals(0);
  private int restarts;

  public TransferProgress(long expectedObjects, long expectedBytes, long startMillis) {
    this.expectedObjects = expectedObjects;
    this.expectedBytes = expectedBytes;
    this.startMillis = startMillis;
  }

  /** Takes the job's newer totals (older attempts' and stale answers are ignored). */
  public synchronized void update(JobTotals newer, int restartsSoFar) {
    restarts = Math.max(restarts, Math.max(restartsSoFar, newer.attempt()));
    if (newer.attempt() >= totals.attempt()) {
      totals = newer;
    }
  }

  public synchronized Snapshot snapshot(long nowMillis) {
    List<TransferReport.Failure> failures = new ArrayList<>();
    for (JobTotals.Failure f : totals.failures()) {
      failures.add(new TransferReport.Failure(f.key(), f.message()));
    }
    return new Snapshot(expectedObjects, expectedBytes, totals.committedObjects(), totals.committedBytes(),
        totals.failedObjects(), totals.chunkBytes(), totals.wireBytes(), nowMillis - startMillis,
        relative(totals.firstReadAtMillis(), Long.MAX_VALUE),
        relative(totals.firstWriteAtMillis(), Long.MAX_VALUE),
        relative(totals.lastReadAtMillis(), 0),
        relative(totals.lastCommitAtMillis(), 0), failures, restarts);
  }

  private long relative(long atMillis, long none) {
    return atMillis == none ? -1 : atMillis - startMillis;
  }

  /**
   * A consistent view of the totals.
   *
   * @param bytes raw bytes written and verified at the destination (chunks)
   * @param wireBytes bytes those chunks took on the wire
   * @param firstReadMillis ms from start until the first chunk was read at the source, or -1
   * @param firstWriteMillis ms from start until the first chunk was written, or -1
   * @param lastReadMillis ms from start until the last chunk was read at the source, or -1
   * @param lastCommitMillis ms from start until the last object was committed (the committer's
   *     clock), or -1
   * @param failures why objects failed (at most {@link JobTotals#MAX_FAILURES} of them)
   * @param restarts how often the job restarted after a failure
   */
  public record Snapshot(
      long expectedObjects,
      long expectedBytes,
      long committedObjects,
      long committedBytes,
      long failedObjects,
      long bytes,
      long wireBytes,
      long elapsedMillis,
      long firstReadMillis,
      long firstWriteMillis,
      long lastReadMillis,
      long lastCommitMillis,
      List<TransferReport.Failure> failures,
      int restarts) {
    /** The rate since the first chunk was read (start-up excluded), for progress and ETA. */
    public double bytesPerSecond() {
      long transferring = firstReadMillis < 0 ? 0 : elapsedMillis - firstReadMillis;
      return transferring <= 0 ? 0 : bytes * 1000.0 / transferring;
    }

    /** Seconds from the first chunk read to the last object committed: the data's own time, or 0. */
    public double movingSeconds() {
      return firstReadMillis < 0 || lastCommitMillis < firstReadMillis
          ? 0
          : (lastCommitMillis - firstReadMillis) / 1000.0;
    }
  }
}
