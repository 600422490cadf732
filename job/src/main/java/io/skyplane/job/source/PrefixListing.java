package io.skyplane.job.source;

import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;

/** Lists every object under a prefix of a store, lazily (pages are fetched as it advances). */
final class PrefixListing implements Iterator<ObjectInfo>, Closeable {
  private final ObjectListing listing;

  private PrefixListing(ObjectListing listing) {
    this.listing = listing;
  }

  static PrefixListing open(ObjectStore store, String prefix) throws IOException {
    return new PrefixListing(store.list(prefix));
  }

  @Override
  public boolean hasNext() {
    return listing.hasNext();
  }

  @Override
  public ObjectInfo next() {
    return listing.next();
  }

  @Override
  public void close() throws IOException {
    listing.close();
  }
}
