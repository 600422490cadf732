package io.skyplane.job.transfer;

import io.skyplane.job.model.TransferEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Running totals of a transfer as the job reports them; read by the progress printer while the
 * runner's thread updates it.
 */
public final class TransferProgress {
  private final long expectedObjects;
  private final long expectedBytes;
  private final long startMillis;
  private long bytes;
  private long wireBytes;
  // by key: a job restarted after a failure reports again every object it copies again
  private final Map<String, Long> committed = new HashMap<>();
  private final Map<String, String> failed = new LinkedHashMap<>();
  private long committedBytes;
  private long firstWriteAtMillis = Long.MAX_VALUE;
  private long firstReadAtMillis = Long.MAX_VALUE;
  private long lastReadAtMillis;
  private long lastCommitAtMillis;

  public TransferProgress(long expectedObjects, long expectedBytes, long startMillis) {
    this.expectedObjects = expectedObjects;
    this.expectedBytes = expectedBytes;
    this.startMillis = startMillis;
  }

  synchronized void accept(TransferEvent event) {
    switch (event.kind()) {
      case CHUNK:
        bytes += event.bytes();
        wireBytes += event.wireBytes();
        firstWriteAtMillis = Math.min(firstWriteAtMillis, event.writtenAtMillis());
        firstReadAtMillis = Math.min(firstReadAtMillis, event.readAtMillis());
        lastReadAtMillis = Math.max(lastReadAtMillis, event.readAtMillis());
        break;
      case COMMITTED:
        failed.remove(event.key());
        if (committed.put(event.key(), event.bytes()) != null) {
          break; // committed again after a restart: counted once
        }
        committedBytes += event.bytes();
        lastCommitAtMillis = Math.max(lastCommitAtMillis, event.writtenAtMillis());
        if (event.includesChunk()) {
          bytes += event.bytes();
          wireBytes += event.wireBytes();
          firstWriteAtMillis = Math.min(firstWriteAtMillis, event.writtenAtMillis());
          firstReadAtMillis = Math.min(firstReadAtMillis, event.readAtMillis());
          lastReadAtMillis = Math.max(lastReadAtMillis, event.readAtMillis());
        }
        break;
      case FAILED:
        firstReadAtMillis = Math.min(firstReadAtMillis, event.readAtMillis());
        if (!committed.containsKey(event.key())) {
          failed.put(event.key(), event.message());
        }
        break;
      default:
        throw new IllegalArgumentException("unknown event " + event.kind());
    }
  }

  public synchronized Snapshot snapshot(long nowMillis) {
    List<TransferReport.Failure> failures = new ArrayList<>();
    failed.forEach((key, message) -> failures.add(new TransferReport.Failure(key, message)));
    return new Snapshot(expectedObjects, expectedBytes, committed.size(), committedBytes, failed.size(),
        bytes, wireBytes, nowMillis - startMillis,
        firstReadAtMillis == Long.MAX_VALUE ? -1 : firstReadAtMillis - startMillis,
        firstWriteAtMillis == Long.MAX_VALUE ? -1 : firstWriteAtMillis - startMillis,
        lastReadAtMillis == 0 ? -1 : lastReadAtMillis - startMillis,
        lastCommitAtMillis == 0 ? -1 : lastCommitAtMillis - startMillis, failures);
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
      List<TransferReport.Failure> failures) {
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
