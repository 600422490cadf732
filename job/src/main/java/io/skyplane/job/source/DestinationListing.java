package io.skyplane.job.source;

import io.skyplane.job.scratch.Scratch;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a sync finds at its destination, keyed like the source; and the deletions of a sync. */
public final class DestinationListing {
  private DestinationListing() {}

  /** Lists the destination tree (a missing local directory or empty prefix is empty). */
  public static List<SourceObject> list(TransferSpec spec) throws IOException {
    if (spec.destination().isLocal()) {
      try {
        return LocalListing.listDestination(Path.of(spec.destinationRoot()));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    String prefix = spec.destination().prefix();
    List<SourceObject> objects = new ArrayList<>();
    try (ObjectStore store = ObjectStores.open(spec.destination().store());
        ObjectListing listing = store.list(prefix)) {
      while (listing.hasNext()) {
        ObjectInfo info = listing.next();
        if (Scratch.isRunKey(info.key())) {
          continue; // a run's area (this run's or a concurrent one's): not the destination's objects
        }
        objects.add(new SourceObject(info.key().substring(prefix.length()), null, info.size(),
            info.lastModifiedMillis(), info.version(), info.crc32c()));
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.NOT_FOUND) {
        throw new StoreException(e.kind(), "destination bucket not found: " + e.getMessage(), e);
      }
      throw e;
    }
    return objects;
  }

  /** Deletes the destination objects with these relative keys, adding each deleted one to {@code deleted}. */
  public static void delete(TransferSpec spec, List<String> keys, List<String> deleted) throws IOException {
    if (keys.isEmpty()) {
      return;
    }
    if (spec.destination().isLocal()) {
      for (String key : keys) {
        try {
          Files.deleteIfExists(spec.destinationOf(key));
        } catch (IOException e) {
          throw new IOException("cannot delete " + spec.destinationOf(key) + ": " + e.getMessage(), e);
        }
        deleted.add(key);
      }
      return;
    }
    try (ObjectStore store = ObjectStores.open(spec.destination().store())) {
      for (String key : keys) {
        store.delete(spec.destinationKey(key));
        deleted.add(key);
      }
    }
  }
}
