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
    /**
     * Same size, different content checksums: both stores report a whole-object CRC32C, or
     * {@code sync --checksum} computed the missing ones by reading the objects.
     */
    CHECKSUM
  }

  /**
   * One object to copy.
   *
   * @param detail more about the reason (for CHECKSUM: both CRC32Cs), or ""
   */
  public record Copy(SourceObject object, Reason reason, String detail) {
    public Copy {
      requireNonNull(object, "object is null");
      requireNonNull(reason, "reason is null");
      requireNonNull(detail, "detail is null");
    }

    public Copy(SourceObject object, Reason reason) {
      this(object, reason, "");
    }

    /** The reason in words, e.g. "missing", "content differs (CRC32C 0a1b2c3d != 4e5f6a7b)". */
    public String describe() {
      String words = switch (reason) {
        case MISSING -> "missing";
        case SIZE -> "size differs";
        case MODIFIED -> "modified";
        case CHECKSUM -> "content differs";
      };
      return detail.isEmpty() ? words : words + " (" + detail + ")";
    }
  }

  public long bytesToCopy() {
    return copies.stream().mapToLong(c -> c.object().size()).sum();
  }
}
