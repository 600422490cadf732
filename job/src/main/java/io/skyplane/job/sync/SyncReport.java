package io.skyplane.job.sync;

import io.skyplane.job.transfer.TransferReport;
import java.util.List;

/**
 * The outcome of a sync, as written by {@code --json}.
 *
 * @param dryRun whether nothing was done (the plan only)
 * @param toCopy objects that were (or would be) copied
 * @param unchanged objects already in sync
 * @param deleted destination objects deleted (or that would be)
 * @param transfer the copy's report (null when nothing was copied)
 * @param bytesChecksummed bytes {@code --checksum} read to compare contents (0 without it, or when
 *     the stores listed every checksum)
 */
public record SyncReport(
    boolean dryRun, long toCopy, long bytesToCopy, long unchanged, List<String> deleted,
    TransferReport transfer, long bytesChecksummed) {
  public SyncReport {
    deleted = List.copyOf(deleted);
  }
}
