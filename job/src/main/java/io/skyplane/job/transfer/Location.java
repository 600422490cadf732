package io.skyplane.job.transfer;

import static java.util.Objects.requireNonNull;

import io.skyplane.store.StoreSpec;
import io.skyplane.store.local.LocalStoreFactory;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * One side of a transfer, resolved: the store to open and the key prefix in it.
 *
 * <p>For a tree ({@code cp -r}) the prefix is "" or ends with '/', and an object's key relative to
 * the transfer is its key without the prefix. For a single object the prefix is the object's whole
 * key. Local files are a store too: {@code file} with option {@code root} (the directory of a tree,
 * or the parent directory of a single file, whose name is then the prefix).
 *
 * @param store how to open the store (no secrets)
 * @param prefix key prefix (tree) or key (single object)
 * @param text the location as the user wrote it, for messages and reports
 */
public record Location(StoreSpec store, String prefix, String text) implements Serializable {
  public Location {
    requireNonNull(store, "store is null");
    requireNonNull(prefix, "prefix is null");
    requireNonNull(text, "text is null");
  }

  /** A local directory (tree) or file (single object). */
  public static Location local(Path path, boolean singleObject, String text) {
    Path absolute = path.toAbsolutePath().normalize();
    if (singleObject) {
      Path parent = absolute.getParent() == null ? absolute.getRoot() : absolute.getParent();
      return new Location(localStore(parent), absolute.getFileName().toString(), text);
    }
    return new Location(localStore(absolute), "", text);
  }

  private static StoreSpec localStore(Path root) {
    return new StoreSpec("file", "", java.util.Map.of(LocalStoreFactory.ROOT, root.toString()));
  }

  public boolean isLocal() {
    return store.scheme().equals("file");
  }

  /** For local locations: the directory of a tree, or the file of a single object. */
  public Path localPath(boolean singleObject) {
    if (!isLocal()) {
      throw new IllegalStateException("not a local location: " + text);
    }
    Path root = Path.of(store.option(LocalStoreFactory.ROOT, "/"));
    return singleObject ? root.resolve(prefix) : root;
  }

  @Override
  public String toString() {
    return text;
  }
}
