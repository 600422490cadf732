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
 * the destination or its size differs; when sizes match, modification times decide (transfers keep
 * the source's, to the millisecond; stores that keep content checksums will compare those). With
 * {@code delete}, destination objects missing from the source are deleted.
 */
public final class SyncPlanner {
  private SyncPlanner() {}

  public static SyncPlan plan(List<SourceObject> source, List<SourceObject> destination, boolean delete) {
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
      SyncPlan.Reason reason = reason(object, there);
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

  private static SyncPlan.Reason reason(SourceObject source, SourceObject destination) {
    if (destination == null) {
      return SyncPlan.Reason.MISSING;
    }
    if (destination.size() != source.size()) {
      return SyncPlan.Reason.SIZE;
    }
    if (destination.mtime() != source.mtime()) {
      return SyncPlan.Reason.MODIFIED;
    }
    return null;
  }
}
