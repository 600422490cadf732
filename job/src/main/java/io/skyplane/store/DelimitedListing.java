package io.skyplane.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import javax.annotation.Nullable;

/**
 * Optional ability of an {@link ObjectStore}: lists one level of the key space under a prefix, as
 * with a '/' delimiter, so that a caller can split the listing of a big prefix by its child
 * prefixes (and list those in parallel). The S3, GCS, Azure and local stores have it (S3:
 * ListObjectsV2 with a delimiter; GCS: the "current directory" listing; Azure: the listing by
 * hierarchy; local files: one directory).
 */
public interface DelimitedListing {

  /**
   * Lists one level under {@code prefix} ("" for the top), lazily: pages are fetched as the
   * iterator advances. The level holds
   *
   * <ul>
   *   <li>the objects whose key starts with {@code prefix} and has no '/' after it, and
   *   <li>the distinct child prefixes: {@code prefix} and the text after it up to and including
   *       the next '/', one entry for all the keys that start with it.
   * </ul>
   *
   * <p>A prefix may end anywhere, also within a name ({@code "logs/2026-"}). The objects are those
   * {@link ObjectStore#list} would return, with the same things hidden (temporaries of uploads); a
   * child prefix never stands for only hidden objects. A directory marker {@code d/} is an object of
   * the level {@code d/} and makes the child prefix {@code d/} appear one level up. So {@link
   * ObjectStore#list}{@code (prefix)} returns
   * exactly the level's objects and the objects of {@link ObjectStore#list} of each child prefix.
   * Entries come in ascending order of {@link LevelEntry#name()} compared as UTF-8 bytes (the
   * order of the keys they stand for). Objects created or deleted while listing may or may not
   * appear.
   *
   * @throws StoreException {@link StoreException.Kind#NOT_FOUND} when the bucket does not exist
   *     (from this call, or from the listing's first {@code hasNext()} as with {@link ObjectStore#list})
   */
  Level listLevel(String prefix) throws IOException;

  /**
   * A lazy listing of one level. {@code hasNext()} and {@code next()} throw {@link
   * java.io.UncheckedIOException} wrapping a {@link StoreException} when a page fails.
   */
  interface Level extends Iterator<LevelEntry>, Closeable {}

  /**
   * One entry of a level: an object, or a child prefix (ending with '/'). Exactly one is set.
   *
   * @param object the object, or null for a child prefix
   * @param childPrefix the child prefix, or null for an object
   */
  record LevelEntry(@Nullable ObjectInfo object, @Nullable String childPrefix) {
    /** Orders entries by {@link #name()} as UTF-8 bytes, the order of the keys they stand for. */
    public static final Comparator<LevelEntry> NAME_ORDER =
        (a, b) -> Arrays.compareUnsigned(a.name().getBytes(UTF_8), b.name().getBytes(UTF_8));

    public LevelEntry {
      if ((object == null) == (childPrefix == null)) {
        throw new IllegalArgumentException("a level entry is an object or a child prefix: "
            + object + ", " + childPrefix);
      }
      if (childPrefix != null && !childPrefix.endsWith("/")) {
        throw new IllegalArgumentException("a child prefix ends with '/': " + childPrefix);
      }
    }

    public static LevelEntry of(ObjectInfo object) {
      return new LevelEntry(requireNonNull(object, "object is null"), null);
    }

    public static LevelEntry ofPrefix(String childPrefix) {
      return new LevelEntry(null, requireNonNull(childPrefix, "childPrefix is null"));
    }

    public boolean isPrefix() {
      return childPrefix != null;
    }

    /** The object's key or the child prefix. */
    public String name() {
      return object != null ? object.key() : childPrefix;
    }
  }
}
