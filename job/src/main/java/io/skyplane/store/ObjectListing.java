package io.skyplane.store;

import java.io.Closeable;
import java.util.Iterator;

/**
 * A lazy listing: pages are fetched as it advances. {@code hasNext()} and {@code next()} throw
 * {@link java.io.UncheckedIOException} wrapping a {@link StoreException} when a page fails.
 */
public interface ObjectListing extends Iterator<ObjectInfo>, Closeable {}
