package io.skyplane.store;

import io.skyplane.store.DelimitedListing.LevelEntry;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import javax.annotation.Nullable;

/**
 * Base of the providers' {@link DelimitedListing.Level}s: fetches a page when the previous one is
 * used up and hands out its entries in {@link LevelEntry#NAME_ORDER}. A page covers a contiguous
 * range of keys (the providers' pages do), so sorting each page sorts the whole level.
 */
public abstract class PagedLevel implements DelimitedListing.Level {
  private Iterator<LevelEntry> page = Collections.emptyIterator();
  private boolean done;

  /**
   * The next page's entries, in any order, hidden objects and prefixes already left out (a page
   * may be empty); or null when there are no more pages.
   *
   * @throws UncheckedIOException wrapping a {@link StoreException} when the page cannot be fetched
   */
  @Nullable
  protected abstract List<LevelEntry> fetch();

  /**
   * Fetches up to the first entry now, so that a missing bucket fails the {@code listLevel} call
   * itself; returns this.
   */
  public final PagedLevel start() throws StoreException {
    try {
      hasNext();
    } catch (UncheckedIOException e) {
      close();
      if (e.getCause() instanceof StoreException store) {
        throw store;
      }
      throw e;
    }
    return this;
  }

  @Override
  public final boolean hasNext() {
    while (!page.hasNext()) {
      if (done) {
        return false;
      }
      List<LevelEntry> entries = fetch();
      if (entries == null) {
        done = true;
        return false;
      }
      List<LevelEntry> sorted = new ArrayList<>(entries);
      sorted.sort(LevelEntry.NAME_ORDER);
      page = sorted.iterator();
    }
    return true;
  }

  @Override
  public final LevelEntry next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return page.next();
  }

  /** Stops fetching; subclasses holding resources override and call this too. */
  @Override
  public void close() {
    done = true;
    page = Collections.emptyIterator();
  }
}
