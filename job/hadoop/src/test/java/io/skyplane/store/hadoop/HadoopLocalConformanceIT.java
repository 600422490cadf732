package io.skyplane.store.hadoop;

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

/**
 * The conformance suite on Hadoop's local file system ({@code hadoop:file}, a checksummed
 * LocalFileSystem), each test in a fresh temporary root.
 */
class HadoopLocalConformanceIT extends ObjectStoreConformance {
  private Path root;

  private static ObjectStore open(Path dir) throws IOException {
    return ObjectStores.open(new StoreSpec("hadoop:file", "", Map.of(HadoopStoreFactory.ROOT, dir.toString())));
  }

  @Override
  protected ObjectStore newStore() throws IOException {
    root = Files.createTempDirectory("hadoop-local-");
    return open(root);
  }

  @Override
  protected ObjectStore storeWithoutBucket() throws IOException {
    Path gone = Files.createTempDirectory("hadoop-local-gone-");
    Files.delete(gone);
    return open(gone);
  }

  /** Hadoop paths normalise '..' away; the store refuses such keys instead of writing elsewhere. */
  @Override
  protected Optional<StoreException.Kind> dotDotKeyRejection() {
    return Optional.of(StoreException.Kind.FATAL);
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

  /**
   * A Hadoop path cannot end in '/', so the store refuses marker keys; a file system's directories
   * (and the markers an object store's connector keeps for them) are not listed as objects.
   */
  @Override
  protected Markers directoryMarkers() {
    return Markers.UNSUPPORTED;
  }
}
