package io.skyplane.store;

import java.util.NoSuchElementException;

/**
 * Base of the providers' listings: {@link #hasNext()} fetches (pages, directories) until it has
 * put the next object in {@link #next}, or finds none; {@link #next()} hands it out once.
 */
public abstract class LookaheadListing implements ObjectListing {
  /** The object {@link #hasNext()} found and {@link #next()} has not handed out yet, or null. */
  protected ObjectInfo next;

  @Override
  public final ObjectInfo next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ObjectInfo result = next;
    next = null;
    return result;
  }
}
