package io.skyplane.job.source;

import static java.util.Objects.requireNonNull;

import io.skyplane.store.DelimitedListing;
import io.skyplane.store.DelimitedListing.LevelEntry;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.StoreException;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Lists every object under a prefix of a store, lazily, each object exactly once.
 *
 * <p>When the store has {@link DelimitedListing}, the first level under the prefix is read: if it
 * has at least two child prefixes, each child prefix is listed in full ({@link ObjectStore#list})
 * on a few threads of this listing's own ({@code skyplane-listing-N}, up to {@link #MAX_THREADS}),
 * and the level's own objects are listed too; a level of exactly one child prefix and no object is
 * descended into (up to {@link #MAX_DESCENT} levels) first. A level of at most one child prefix
 * otherwise is listed sequentially, as is a store without the ability. A level whose first {@link
 * #PEEK_LIMIT} entries hold fewer than two child prefixes is split as its child prefixes turn up.
 *
 * <p>Order: sequential listings come in ascending key order; split listings in no particular
 * order. Memory stays bounded: the threads hand objects over through a bounded queue and wait
 * when it is full. A failure of any listing surfaces from {@link #hasNext()} and {@link #next()}
 * as an {@link UncheckedIOException} wrapping a {@link StoreException}, as with {@link
 * ObjectListing}; {@link #close()} stops the threads (also when the caller stops early). Used by
 * one thread at a time.
 */
final class PrefixListing implements Iterator<ObjectInfo>, Closeable {
  /** Threads of one split listing, the level's reader included. */
  static final int MAX_THREADS = 8;
  /** Objects listed but not yet handed out, at most. */
  static final int QUEUE_CAPACITY = 4096;
  /** Levels of a single child prefix descended into before giving up on splitting. */
  static final int MAX_DESCENT = 4;
  /** Entries of a level read before deciding how to list it. */
  static final int PEEK_LIMIT = 1000;

  private final ObjectListing listing;

  private PrefixListing(ObjectListing listing) {
    this.listing = listing;
  }

  /**
   * Opens the listing of {@code prefix}.
   *
   * @throws IOException (often a {@link StoreException}) when the first level cannot be listed,
   *     e.g. NOT_FOUND for a missing bucket
   */
  static PrefixListing open(ObjectStore store, String prefix) throws IOException {
    return open(store, prefix, MAX_THREADS, QUEUE_CAPACITY);
  }

  /** {@link #open(ObjectStore, String)} with the number of threads and the queue's capacity. */
  static PrefixListing open(ObjectStore store, String prefix, int maxThreads, int queueCapacity)
      throws IOException {
    requireNonNull(store, "store is null");
    requireNonNull(prefix, "prefix is null");
    if (maxThreads < 2 || !(store instanceof DelimitedListing levels)) {
      return new PrefixListing(store.list(prefix));
    }
    String at = prefix;
    for (int depth = 0; ; depth++) {
      DelimitedListing.Level level = levels.listLevel(at);
      Peek peek;
      try {
        peek = Peek.read(level);
      } catch (RuntimeException e) {
        try {
          level.close();
        } catch (IOException | RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        if (e instanceof UncheckedIOException unchecked) {
          throw unchecked.getCause();
        }
        throw e;
      }
      if (!peek.complete() || peek.children() >= 2) {
        return new PrefixListing(new SplitListing(store, at, level, peek.entries(), maxThreads, queueCapacity));
      }
      level.close();
      if (peek.children() == 1 && peek.objects() == 0 && depth < MAX_DESCENT) {
        at = peek.entries().get(0).childPrefix(); // the same objects as the level above
        continue;
      }
      return new PrefixListing(store.list(at));
    }
  }

  /**
   * The first entries of a level.
   *
   * @param complete whether they are all of the level
   */
  private record Peek(List<LevelEntry> entries, int objects, int children, boolean complete) {
    /** Reads until two child prefixes, {@link #PEEK_LIMIT} entries or the end of the level. */
    static Peek read(DelimitedListing.Level level) {
      List<LevelEntry> entries = new ArrayList<>();
      int children = 0;
      while (children < 2 && entries.size() < PEEK_LIMIT && level.hasNext()) {
        LevelEntry entry = level.next();
        entries.add(entry);
        children += entry.isPrefix() ? 1 : 0;
      }
      boolean complete = children < 2 && entries.size() < PEEK_LIMIT;
      return new Peek(entries, entries.size() - children, children, complete);
    }
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
