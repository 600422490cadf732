package io.skyplane.job.transfer;

import io.skyplane.job.source.DestinationListing;
import io.skyplane.job.source.SourceObject;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import io.skyplane.job.source.SourceListing;
import java.io.UncheckedIOException;
import java.util.Set;
import javax.annotation.Nullable;
import java.util.Map;
import java.util.Optional;

/**
 * After a job that did not end normally (its JobManager lost, say), what the job reported may be
 * short of what it committed: the last commits happened after the client's last poll. This counts
 * the source's objects that are at the destination as this run put them: the same size, and
 * written since the run started (a store's modification time, or for files the time they were
 * renamed into place, their ctime; files also carry the source's modification time). An object
 * that was already identical at the destination before the run is not counted.
 */
final class Reconcile {
  /** Clocks of the client, the cluster and the store may differ this much. */
  private static final long CLOCK_SKEW_MILLIS = 60_000;
  /** Expected objects up to which a store destination's listing is held in memory to reconcile. */
  static final long MAX_LISTED = 100_000;
  /** The key of a single object's copy. */
  private static final String SINGLE = "";

  private Reconcile() {}

  /** How many of {@code objects} the destination holds as committed by this run, and their bytes. */
  record Found(long objects, long bytes) {}

  /**
   * How many of the source's objects (all, or only {@code onlyKeys}; {@code expected} as the client
   * counted them) the destination holds as committed by this run, and their bytes. The source is
   * listed again, streaming. A local destination is checked file by file; a store destination is
   * listed into memory (keyed) only for at most {@link #MAX_LISTED} expected objects: beyond that,
   * nothing is counted here (the job's own count stands), so memory stays bounded.
   */
  static Found committed(TransferSpec spec, @Nullable Set<String> onlyKeys, long expected, long startMillis)
      throws IOException {
    long since = startMillis - CLOCK_SKEW_MILLIS;
    boolean local = spec.destination().isLocal();
    if (!local && !spec.singleObject() && expected > MAX_LISTED) {
      return new Found(0, 0);
    }
    Map<String, SourceObject> there = new HashMap<>();
    if (!local && spec.singleObject()) {
      try (ObjectStore store = ObjectStores.open(spec.destination().store())) {
        Optional<ObjectInfo> info = store.stat(spec.destination().prefix());
        info.ifPresent(i -> there.put(SINGLE, new SourceObject(SINGLE, null, i.size(), i.lastModifiedMillis(),
            i.version(), i.crc32c())));
      }
    } else if (!local) {
      DestinationListing.list(spec).forEach(o -> there.put(o.key(), o));
    }
    long count = 0;
    long bytes = 0;
    try (SourceListing objects = SourceListing.open(spec, onlyKeys, false)) {
      while (objects.hasNext()) {
        SourceObject object = objects.next();
        if (local ? committedFile(spec, object, since) : committedObject(spec, there, object, since)) {
          count++;
          bytes += object.size();
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return new Found(count, bytes);
  }

  private static boolean committedFile(TransferSpec spec, SourceObject object, long since) throws IOException {
    Path file = spec.destinationOf(object.key());
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == object.size()
        && Files.getLastModifiedTime(file).toMillis() == object.mtime()
        && ((FileTime) Files.getAttribute(file, "unix:ctime")).toMillis() >= since;
  }

  private static boolean committedObject(TransferSpec spec, Map<String, SourceObject> there, SourceObject object,
      long since) {
    SourceObject copy = there.get(spec.singleObject() ? SINGLE : object.key());
    return copy != null && copy.size() == object.size() && copy.mtime() >= since;
  }
}
