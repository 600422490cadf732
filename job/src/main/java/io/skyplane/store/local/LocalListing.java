package io.skyplane.store.local;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.skyplane.store.LookaheadListing;
import io.skyplane.store.ObjectInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A depth-first walk that yields keys in UTF-8 byte order, reading one directory at a time. Entries
 * of a directory are sorted with a '/' appended to directory names, which makes the depth-first
 * order the key order. An empty directory {@code d} is the directory marker {@code d/} (see {@link
 * LocalStore}), yielded where its sort key puts it: before anything under {@code d/}.
 */
final class LocalListing extends LookaheadListing {
  private static final Comparator<Entry> KEY_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.sortKey, b.sortKey);

  private record Entry(String key, Path path, boolean directory, byte[] sortKey) {}

  private final LocalStore store;
  private final String prefix;
  private final Deque<Iterator<Entry>> stack = new ArrayDeque<>();

  LocalListing(LocalStore store, String prefix) throws IOException {
    this.store = store;
    this.prefix = prefix;
    if (!Files.isDirectory(store.root())) {
      throw LocalErrors.notFound("list", store.uri(prefix));
    }
    int slash = prefix.lastIndexOf('/');
    String dirKey = slash < 0 ? "" : prefix.substring(0, slash);
    Path dir = dirKey.isEmpty() ? store.root() : store.path("list", dirKey);
    if (Files.isDirectory(dir)) {
      String dirPrefix = dirKey.isEmpty() ? "" : dirKey + "/";
      stack.push(entries(dir, dirPrefix).iterator());
      if (!dirKey.isEmpty() && dirPrefix.startsWith(prefix)) {
        next = marker(dir, dirPrefix);
      }
    }
  }

  /** The marker of {@code dir} when it is an empty directory, else null. */
  private static ObjectInfo marker(Path dir, String key) throws IOException {
    if (!LocalStore.isEmptyDirectory(dir)) {
      return null;
    }
    try {
      return LocalStore.markerInfo(key, Files.readAttributes(dir, BasicFileAttributes.class));
    } catch (NoSuchFileException e) {
      return null; // deleted while listing
    }
  }

  private List<Entry> entries(Path dir, String dirKey) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : (Iterable<Path>) children::iterator) {
        String name = child.getFileName().toString();
        String key = dirKey + name;
        boolean directory = Files.isDirectory(child);
        String sortKey = directory ? key + "/" : key;
        boolean wanted = directory
            ? sortKey.startsWith(prefix) || prefix.startsWith(sortKey)
            : key.startsWith(prefix);
        if (wanted) {
          entries.add(new Entry(key, child, directory, sortKey.getBytes(UTF_8)));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of(); // deleted while listing
    } catch (IOException e) {
      throw LocalErrors.translate("list", store.uri(dirKey), e);
    }
    entries.sort(KEY_ORDER);
    return entries;
  }

  @Override
  public boolean hasNext() {
    try {
      while (next == null && !stack.isEmpty()) {
        Iterator<Entry> top = stack.peek();
        if (!top.hasNext()) {
          stack.pop();
          continue;
        }
        Entry entry = top.next();
        if (entry.directory()) {
          stack.push(entries(entry.path(), entry.key() + "/").iterator());
          if ((entry.key() + "/").startsWith(prefix)) {
            next = marker(entry.path(), entry.key() + "/");
          }
          continue;
        }
        try {
          BasicFileAttributes attrs = Files.readAttributes(entry.path(), BasicFileAttributes.class);
          if (attrs.isRegularFile()) {
            next = LocalStore.info(entry.key(), attrs);
          }
        } catch (NoSuchFileException e) {
          // deleted while listing
        }
      }
      return next != null;
    } catch (IOException e) {
      throw new UncheckedIOException(LocalErrors.translate("list", store.uri(prefix), e));
    }
  }


  @Override
  public void close() {
    stack.clear();
  }
}
