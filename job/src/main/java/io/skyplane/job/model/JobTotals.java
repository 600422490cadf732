package io.skyplane.job.model;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What one attempt of the transfer job has done so far, summed from the committer's events: chunks
 * verified at the destination, objects committed and failed (with the first {@link #MAX_FAILURES}
 * reasons), and when data first and last moved. The job's report operator keeps one and sends
 * copies to the client; a restarted job starts again from zero (it copies every object again), so
 * the client keeps the totals of the newest attempt only.
 *
 * <p>Mutable and not thread-safe: the operator updates its own instance and hands out {@link
 * #copy()}s.
 */
public final class JobTotals implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Failure reasons kept (every failed object is counted; only this many are described). */
  public static final int MAX_FAILURES = 10_000;

  /** One object that did not arrive, and why. */
  public record Failure(String key, String message) implements Serializable {
    public Failure {
      requireNonNull(key, "key is null");
      requireNonNull(message, "message is null");
    }
  }

  private int attempt;
  private long chunkBytes;
  private long wireBytes;
  private long committedObjects;
  private long committedBytes;
  private long failedObjects;
  private final ArrayList<Failure> failures = new ArrayList<>();
  private long firstReadAtMillis = Long.MAX_VALUE;
  private long firstWriteAtMillis = Long.MAX_VALUE;
  private long lastReadAtMillis;
  private long lastCommitAtMillis;

  public JobTotals(int attempt) {
    this.attempt = attempt;
  }

  /** Adds one event of the committer. */
  public void accept(TransferEvent event) {
    switch (event.kind()) {
      case CHUNK -> chunk(event);
      case COMMITTED -> {
        committedObjects++;
        committedBytes += event.bytes();
        lastCommitAtMillis = Math.max(lastCommitAtMillis, event.writtenAtMillis());
        if (event.includesChunk()) {
          chunk(event);
        }
      }
      case FAILED -> {
        failedObjects++;
        firstReadAtMillis = Math.min(firstReadAtMillis, event.readAtMillis());
        if (failures.size() < MAX_FAILURES) {
          failures.add(new Failure(event.key(), event.message()));
        }
      }
    }
  }

  private void chunk(TransferEvent event) {
    chunkBytes += event.bytes();
    wireBytes += event.wireBytes();
    firstWriteAtMillis = Math.min(firstWriteAtMillis, event.writtenAtMillis());
    firstReadAtMillis = Math.min(firstReadAtMillis, event.readAtMillis());
    lastReadAtMillis = Math.max(lastReadAtMillis, event.readAtMillis());
  }

  /** Adds another subtask's totals of the same attempt (or takes the newer attempt's). */
  public void merge(JobTotals other) {
    if (other.attempt > attempt) {
      reset(other.attempt);
    } else if (other.attempt < attempt) {
      return;
    }
    chunkBytes += other.chunkBytes;
    wireBytes += other.wireBytes;
    committedObjects += other.committedObjects;
    committedBytes += other.committedBytes;
    failedObjects += other.failedObjects;
    for (Failure failure : other.failures) {
      if (failures.size() < MAX_FAILURES) {
        failures.add(failure);
      }
    }
    firstReadAtMillis = Math.min(firstReadAtMillis, other.firstReadAtMillis);
    firstWriteAtMillis = Math.min(firstWriteAtMillis, other.firstWriteAtMillis);
    lastReadAtMillis = Math.max(lastReadAtMillis, other.lastReadAtMillis);
    lastCommitAtMillis = Math.max(lastCommitAtMillis, other.lastCommitAtMillis);
  }

  /** Forgets everything and starts counting for {@code newAttempt}. */
  public void reset(int newAttempt) {
    attempt = newAttempt;
    chunkBytes = 0;
    wireBytes = 0;
    committedObjects = 0;
    committedBytes = 0;
    failedObjects = 0;
    failures.clear();
    firstReadAtMillis = Long.MAX_VALUE;
    firstWriteAtMillis = Long.MAX_VALUE;
    lastReadAtMillis = 0;
    lastCommitAtMillis = 0;
  }

  public JobTotals copy() {
    JobTotals copy = new JobTotals(attempt);
    copy.merge(this);
    return copy;
  }

  /** The job's execution attempt these totals belong to: 0, or the number of restarts before it. */
  public int attempt() {
    return attempt;
  }

  /** Raw bytes of the chunks verified at the destination (committed objects or not). */
  public long chunkBytes() {
    return chunkBytes;
  }

  /** What those chunks took on the wire, after compression. */
  public long wireBytes() {
    return wireBytes;
  }

  public long committedObjects() {
    return committedObjects;
  }

  public long committedBytes() {
    return committedBytes;
  }

  public long failedObjects() {
    return failedObjects;
  }

  /** The reasons of the first {@link #MAX_FAILURES} failed objects. */
  public List<Failure> failures() {
    return List.copyOf(failures);
  }

  /** When the first chunk was read at the source (epoch millis), or {@link Long#MAX_VALUE}. */
  public long firstReadAtMillis() {
    return firstReadAtMillis;
  }

  /** When the first chunk was written at the destination, or {@link Long#MAX_VALUE}. */
  public long firstWriteAtMillis() {
    return firstWriteAtMillis;
  }

  /** When the last chunk was read at the source, or 0. */
  public long lastReadAtMillis() {
    return lastReadAtMillis;
  }

  /** When the last object was committed, or 0. */
  public long lastCommitAtMillis() {
    return lastCommitAtMillis;
  }

  @Override
  public String toString() {
    return "JobTotals{attempt " + attempt + ", " + committedObjects + " committed (" + committedBytes
        + " B), " + failedObjects + " failed, " + chunkBytes + " B in chunks}";
  }
}
