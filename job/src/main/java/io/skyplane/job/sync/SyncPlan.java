package io.skyplane.job.sync;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.source.SourceObject;
import java.util.List;

/**
 * What a sync will do: the source objects to copy (each with why), the destination keys to delete,
 * and how many objects are already in sync.
 */
public record SyncPlan(List<Copy> copies, List<String> deletions, long unchanged) {
  public SyncPlan {
    copies = List.copyOf(requireNonNull(copies, "copies is null"));
    deletions = List.copyOf(requireNonNull(deletions, "deletions is null"));
  }

  /** Why an object is copied. */
  public enum Reason {
    /** Not at the destination. */
    MISSING,
    /** Sizes differ. */
    SIZE,
    /** Same size, different modification time (local files keep no content checksum to compare). */
    MODIFIED,
    /** Same size, different content checksums (both stores report a whole-object CRC32C). */
    CHECKSUM
  }

  /** One object to copy. */
  public record Copy(SourceObject object, Reason reason) {}

  public long bytesToCopy() {
    return copies.stream().mapToLong(c -> c.object().size()).sum();
  }
}
