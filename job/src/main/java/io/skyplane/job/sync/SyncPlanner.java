package io.skyplane.job.sync;

import io.skyplane.job.source.SourceObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a source listing with a destination listing. An object is copied when it is missing at
 * the destination or its size differs. When sizes match: if both sides report a whole-object CRC32C
 * (GCS does), the checksums decide; otherwise modification times do. Local destinations keep the
 * source's time to the millisecond, so they must be equal; a store sets its own time on upload, so
 * a store destination is up to date when its object is not older than the source's. With
 * {@code delete}, destination objects missing from the source are deleted.
 */
public final class SyncPlanner {
  private SyncPlanner() {}

  public static SyncPlan plan(List<SourceObject> source, List<SourceObject> destination, boolean delete) {
    return plan(source, destination, delete, false);
  }

  /** As {@link #plan(List, List, boolean)}; {@code storeDestination}: the destination sets its own times. */
  public static SyncPlan plan(List<SourceObject> source, List<SourceObject> destination, boolean delete,
      boolean storeDestination) {
    Map<String, SourceObject> existing = new HashMap<>();
    for (SourceObject object : destination) {
      existing.put(object.key(), object);
    }
    List<SyncPlan.Copy> copies = new ArrayList<>();
    long unchanged = 0;
    Set<String> sourceKeys = new HashSet<>();
    for (SourceObject object : source) {
      sourceKeys.add(object.key());
      SourceObject there = existing.get(object.key());
      SyncPlan.Reason reason = reason(object, there, storeDestination);
      if (reason == null) {
        unchanged++;
      } else {
        copies.add(new SyncPlan.Copy(object, reason));
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

  private static SyncPlan.Reason reason(SourceObject source, SourceObject destination, boolean store) {
    if (destination == null) {
      return SyncPlan.Reason.MISSING;
    }
    if (destination.size() != source.size()) {
      return SyncPlan.Reason.SIZE;
    }
    if (!source.crc32c().isEmpty() && !destination.crc32c().isEmpty()) {
      return source.crc32c().equals(destination.crc32c()) ? null : SyncPlan.Reason.CHECKSUM;
    }
    if (destination.mtime() == source.mtime() || (store && destination.mtime() >= source.mtime())) {
      return null;
    }
    return SyncPlan.Reason.MODIFIED;
  }
}
