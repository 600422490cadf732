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
import java.util.List;
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

  private Reconcile() {}

  /** How many of {@code objects} the destination holds as committed by this run, and their bytes. */
  record Found(long objects, long bytes) {}

  static Found committed(TransferSpec spec, List<SourceObject> objects, long startMillis) throws IOException {
    long since = startMillis - CLOCK_SKEW_MILLIS;
    long count = 0;
    long bytes = 0;
    if (spec.destination().isLocal()) {
      for (SourceObject object : objects) {
        Path file = spec.destinationOf(object.key());
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == object.size()
            && Files.getLastModifiedTime(file).toMillis() == object.mtime()
            && ((FileTime) Files.getAttribute(file, "unix:ctime")).toMillis() >= since) {
          count++;
          bytes += object.size();
        }
      }
      return new Found(count, bytes);
    }
    Map<String, SourceObject> there = new HashMap<>();
    if (spec.singleObject()) {
      try (ObjectStore store = ObjectStores.open(spec.destination().store())) {
        Optional<ObjectInfo> info = store.stat(spec.destination().prefix());
        if (info.isPresent() && !objects.isEmpty()) {
          there.put(objects.get(0).key(), new SourceObject(objects.get(0).key(), null, info.get().size(),
              info.get().lastModifiedMillis(), info.get().version(), info.get().crc32c()));
        }
      }
    } else {
      DestinationListing.list(spec).forEach(o -> there.put(o.key(), o));
    }
    for (SourceObject object : objects) {
      SourceObject copy = there.get(object.key());
      if (copy != null && copy.size() == object.size() && copy.mtime() >= since) {
        count++;
        bytes += object.size();
      }
    }
    return new Found(count, bytes);
  }
}
