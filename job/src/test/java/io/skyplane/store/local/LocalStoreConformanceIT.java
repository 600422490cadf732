package io.skyplane.store.local;

import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStoreConformance;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;

/** The conformance suite on local files, each test in a fresh temporary root. */
class LocalStoreConformanceIT extends ObjectStoreConformance {
  private Path root;

  @Override
  protected ObjectStore newStore() throws IOException {
    root = Files.createTempDirectory("local-store-");
    return ObjectStores.open(new StoreSpec("file", "", Map.of(LocalStoreFactory.ROOT, root.toString())));
  }

  @Override
  protected ObjectStore storeWithoutBucket() throws IOException {
    Path gone = Files.createTempDirectory("local-store-gone-");
    ObjectStore store = ObjectStores.open(new StoreSpec("file", "", Map.of(LocalStoreFactory.ROOT, gone.toString())));
    Files.delete(gone);
    return store;
  }

  /** A file path cannot hold '..' literally; the store refuses instead of leaving its root. */
  @Override
  protected Optional<StoreException.Kind> dotDotKeyRejection() {
    return Optional.of(StoreException.Kind.FATAL);
  }

  /** A file system has directories, not keys ending in '/': a marker is an empty directory. */
  @Override
  protected Markers directoryMarkers() {
    return Markers.EMPTY_DIRECTORIES;
  }

  /** Uploads in progress are files of the reserved area, listed like any other. */
  @Override
  protected boolean listsUploadTemporaries() {
    return true;
  }

  @AfterEach
  void deleteRoot() throws IOException {
    if (root != null) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
