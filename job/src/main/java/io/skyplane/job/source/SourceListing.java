package io.skyplane.job.source;

import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreException;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * The objects of a transfer's source, one at a time: local files (walked lazily, see {@link
 * LocalListing#walk}), a single store object (one stat), or every object under a store prefix, paged
 * lazily as the iteration advances (see {@link PrefixListing} for how big prefixes are listed in
 * parallel). Optionally only the objects whose relative keys are in {@code onlyKeys} (sync).
 */
public final class SourceListing implements Iterator<SourceObject>, Closeable {
  @Nullable private final ObjectStore store;
  /** What to close with the listing: the store's prefix listing, or the walk of local files. */
  @Nullable private final AutoCloseable listing;
  private final Iterator<SourceObject> objects;
  @Nullable private final Set<String> onlyKeys;
  @Nullable private SourceObject next;

  private SourceListing(@Nullable ObjectStore store, @Nullable AutoCloseable listing,
      Iterator<SourceObject> objects, @Nullable Set<String> onlyKeys) {
    this.store = store;
    this.listing = listing;
    this.objects = objects;
    this.onlyKeys = onlyKeys;
  }

  /**
   * Opens the listing. For local sources {@code checkReadable} also opens every file once (the
   * client's check); store sources are checked by listing their first page now.
   *
   * @throws IOException (often a {@link StoreException}) when the source cannot be listed
   */
  public static SourceListing open(TransferSpec spec, @Nullable Set<String> onlyKeys, boolean checkReadable)
      throws IOException {
    if (spec.source().isLocal()) {
      try {
        LocalListing.Walk walk = LocalListing.walk(spec, checkReadable);
        return new SourceListing(null, walk, walk, onlyKeys);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    ObjectStore store = ObjectStores.open(spec.source().store());
    try {
      if (spec.singleObject()) {
        String key = spec.source().prefix();
        ObjectInfo info = store.stat(key).orElseThrow(() -> new StoreException(
            StoreException.Kind.NOT_FOUND, "source does not exist: '" + store.uri(key) + "'"));
        return new SourceListing(store, null, List.of(toSource(spec, info)).iterator(), onlyKeys);
      }
      PrefixListing listing = PrefixListing.open(store, spec.source().prefix());
      Iterator<SourceObject> objects = new Iterator<>() {
        @Override
        public boolean hasNext() {
          return listing.hasNext();
        }

        @Override
        public SourceObject next() {
          return toSource(spec, listing.next());
        }
      };
      SourceListing result = new SourceListing(store, listing, objects, onlyKeys);
      result.hasNext(); // the first page now: a missing bucket or bad credentials fail here
      return result;
    } catch (IOException | RuntimeException e) {
      store.close();
      throw unwrap(e);
    }
  }

  /**
   * Lists everything into memory (tests and small sources only: the client streams the source
   * through {@link SourceScan} instead).
   */
  public static List<SourceObject> listAll(TransferSpec spec, @Nullable Set<String> onlyKeys) throws IOException {
    List<SourceObject> all = new ArrayList<>();
    try (SourceListing listing = open(spec, onlyKeys, true)) {
      while (listing.hasNext()) {
        all.add(listing.next());
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return all;
  }

  static SourceObject toSource(TransferSpec spec, ObjectInfo info) {
    return new SourceObject(spec.relativeKey(info.key()), null, info.size(), info.lastModifiedMillis(),
        info.version(), info.crc32c());
  }

  private static IOException unwrap(Exception e) {
    if (e instanceof UncheckedIOException u) {
      return u.getCause();
    }
    return e instanceof IOException io ? io : new IOException(e.getMessage(), e);
  }

  /** The store the objects are listed from, or null for local files. */
  @Nullable
  public ObjectStore store() {
    return store;
  }

  @Override
  public boolean hasNext() {
    while (next == null && objects.hasNext()) {
      SourceObject candidate = objects.next();
      if (onlyKeys == null || onlyKeys.contains(candidate.key())) {
        next = candidate;
      }
    }
    return next != null;
  }

  @Override
  public SourceObject next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    SourceObject result = next;
    next = null;
    return result;
  }

  @Override
  public void close() throws IOException {
    try {
      if (listing != null) {
        listing.close();
      }
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }
}
