package io.skyplane.store.local;

import io.skyplane.store.ObjectStore;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreFactory;
import io.skyplane.store.StoreSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Local files ({@code file} scheme): the spec's bucket is "" and option {@code root} names the
 * directory keys are relative to (it must exist).
 */
public final class LocalStoreFactory implements StoreFactory {
  /** The option naming the root directory. */
  public static final String ROOT = "root";

  @Override
  public String scheme() {
    return "file";
  }

  @Override
  public ObjectStore open(StoreSpec spec) throws IOException {
    if (!spec.bucket().isEmpty()) {
      throw new StoreException(StoreException.Kind.FATAL,
          "cannot open file://" + spec.bucket() + ": local stores have no bucket, use option 'root'");
    }
    String root = spec.option(ROOT, "");
    if (root.isEmpty()) {
      throw new StoreException(StoreException.Kind.FATAL, "cannot open a local store: option 'root' is missing");
    }
    Path dir;
    try {
      dir = Path.of(root).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new StoreException(StoreException.Kind.FATAL, "cannot open file://" + root + ": " + e.getMessage(), e);
    }
    if (!Files.isDirectory(dir)) {
      throw new StoreException(StoreException.Kind.NOT_FOUND, "cannot open file://" + dir + ": not a directory");
    }
    return new LocalStore(dir);
  }
}
