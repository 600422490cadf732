package io.skyplane.store;

import static java.util.Objects.requireNonNull;

/** The key rules every store enforces before any request (see {@link ObjectStore}). */
public final class Keys {
  private Keys() {}

  /**
   * Fails with {@link StoreException.Kind#FATAL} when {@code key} is empty or starts with '/'.
   *
   * @param action what was attempted, e.g. "read"
   * @param uri the key's URI, for the message
   */
  public static void check(String action, String key, String uri) throws StoreException {
    requireNonNull(key, "key is null");
    if (key.isEmpty() || key.startsWith("/")) {
      throw new StoreException(StoreException.Kind.FATAL,
          "cannot " + action + " " + uri + ": a key is non-empty and does not start with '/'");
    }
  }
}
