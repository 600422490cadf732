package io.skyplane.job.sync;

import io.skyplane.job.source.SourceObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * Compares a source listing with a destination listing. An object is copied when it is missing at
 * the destination or its size differs. When sizes match: if both sides report a whole-object CRC32C
 * (GCS does; Azure blobs skyplane wrote), the checksums decide; otherwise modification times do.
 * Local destinations keep the source's time to the millisecond, so they must be equal; a store sets
 * its own time on upload, so a store destination is up to date when its object is not older than
 * the source's (to the second: stores keep times to the second). A same-size edit whose modification time was put back is therefore not seen, unless
 * a {@link ContentComparison} ({@code sync --checksum}) compares every same-size pair by content
 * instead of by time. With {@code delete}, destination objects missing from the source are deleted.
 */
public final class SyncPlanner {
  private SyncPlanner() {}

  public static SyncPlan plan(List<SourceObject> source, List<SourceObject> destination, boolean delete) {
    return plan(source, destination, delete, false);
  }

  /** As {@link #plan(List, List, boolean)}; {@code storeDestination}: the destination sets its own times. */
  public static SyncPlan plan(List<SourceObject> source, List<SourceObject> destination, boolean delete,
      boolean storeDestination) {
    try {
      return plan(source, destination, delete, storeDestination, null);
    } catch (IOException e) {
      throw new AssertionError("nothing is read without a content comparison", e);
    }
  }

  /**
   * As {@link #plan(List, List, boolean, boolean)}; with {@code content}, objects of equal size are
   * compared by their CRC32C (read where a listing has none) and never by time.
   *
   * @throws IOException when {@code content} cannot read an object
   */
  public static SyncPlan plan(List<SourceObject> source, List<SourceObject> destination, boolean delete,
      boolean storeDestination, @Nullable ContentComparison content) throws IOException {
    Map<String, SourceObject> existing = new HashMap<>();
    for (SourceObject object : destination) {
      existing.put(object.key(), object);
    }
    SyncPlan.Copy[] decided = new SyncPlan.Copy[source.size()];
    boolean[] same = new boolean[source.size()];
    List<ContentComparison.Pair> pairs = new ArrayList<>();
    List<Integer> pairIndexes = new ArrayList<>();
    Set<String> sourceKeys = new HashSet<>();
    for (int i = 0; i < source.size(); i++) {
      SourceObject object = source.get(i);
      sourceKeys.add(object.key());
      SourceObject there = existing.get(object.key());
      if (there == null) {
        decided[i] = new SyncPlan.Copy(object, SyncPlan.Reason.MISSING);
      } else if (there.size() != object.size()) {
        decided[i] = new SyncPlan.Copy(object, SyncPlan.Reason.SIZE);
      } else if (content != null) {
        pairs.add(new ContentComparison.Pair(object, there));
        pairIndexes.add(i);
      } else {
        decided[i] = sameSize(object, there, storeDestination);
        same[i] = decided[i] == null;
      }
    }
    if (content != null && !pairs.isEmpty()) {
      List<String> differences = content.compare(pairs);
      for (int p = 0; p < pairs.size(); p++) {
        int i = pairIndexes.get(p);
        String difference = differences.get(p);
        decided[i] = difference == null ? null
            : new SyncPlan.Copy(source.get(i), SyncPlan.Reason.CHECKSUM, difference);
        same[i] = difference == null;
      }
    }
    List<SyncPlan.Copy> copies = new ArrayList<>();
    long unchanged = 0;
    for (int i = 0; i < decided.length; i++) {
      if (same[i]) {
        unchanged++;
      } else {
        copies.add(decided[i]);
      }
    }
    List<String> deletions = new ArrayList<>();
    if (delete) {
      for (SourceObject object : destination) {
        if (!sourceKeys.contains(object.key())) {
          deletions.add(object.key());
        }
      }
    }
    return new SyncPlan(copies, deletions, unchanged);
  }

  /**
   * Stores keep modification times to the second (S3's HTTP dates): a copy made within the second
   * the source was last written reads as up to a second older than the source. Both times are
   * therefore compared as whole seconds: a copy is current when its second is not before the
   * source's (a tolerance of "less than a second" would hide an edit made a second after a copy
   * when one side truncates and the other does not).
   */
  static final long STORE_TIME_PRECISION_MILLIS = 1000;

  /** The copy of a same-size object judged by listed checksums, else times; null when up to date. */
  @Nullable
  private static SyncPlan.Copy sameSize(SourceObject source, SourceObject destination, boolean store) {
    if (!source.crc32c().isEmpty() && !destination.crc32c().isEmpty()) {
      String difference = ContentComparison.difference(ContentComparison.listed(source),
          ContentComparison.listed(destination));
      return difference == null ? null : new SyncPlan.Copy(source, SyncPlan.Reason.CHECKSUM, difference);
    }
    if (destination.mtime() == source.mtime()
        || (store && Math.floorDiv(destination.mtime(), STORE_TIME_PRECISION_MILLIS)
            >= Math.floorDiv(source.mtime(), STORE_TIME_PRECISION_MILLIS))) {
      return null;
    }
    return new SyncPlan.Copy(source, SyncPlan.Reason.MODIFIED);
  }
}
