package io.skyplane.store.hadoop;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.skyplane.store.LookaheadListing;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A depth-first walk, one directory at a time ({@code listStatusIterator}, paged by the file
 * system), that yields keys in UTF-8 byte order: a directory's entries are sorted with '/' appended
 * to directory names. ({@code FileSystem.listFiles(dir, true)} is not used: its order is the file
 * system's, e.g. HDFS yields {@code a/b/c} before {@code a/b-x}.) Hidden temporary files and upload
 * parts are skipped.
 */
final class HadoopListing extends LookaheadListing {
  private static final Comparator<Entry> KEY_ORDER = (a, b) -> Arrays.compareUnsigned(a.sortKey, b.sortKey);

  private record Entry(String key, FileStatus status, byte[] sortKey) {}

  private final HadoopStore store;
  private final String prefix;
  private final Deque<Iterator<Entry>> stack = new ArrayDeque<>();

  HadoopListing(HadoopStore store, String prefix) throws IOException {
    this.store = store;
    this.prefix = prefix;
    int slash = prefix.lastIndexOf('/');
    String dirKey = slash < 0 ? "" : prefix.substring(0, slash);
    Path dir = store.directory("list", dirKey);
    try {
      if (dirKey.isEmpty()) {
        // The root: missing means the bucket (or root directory) is missing. Some connectors
        // (gcs-connector) list a missing bucket as empty; their root's status tells.
        List<Entry> entries = entries(dir, "");
        if (entries.isEmpty()) {
          store.fs().getFileStatus(dir);
        }
        stack.push(entries.iterator());
      } else if (isDirectory(dir)) {
        stack.push(entries(dir, dirKey + "/").iterator());
      } else if (!store.fs().exists(store.directory("list", ""))) {
        throw HadoopErrors.notFound("list", store.uri(prefix));
      }
    } catch (IOException | RuntimeException e) {
      throw HadoopErrors.translate("list", store.uri(prefix), e);
    }
  }

  private boolean isDirectory(Path dir) throws IOException {
    try {
      return store.fs().getFileStatus(dir).isDirectory();
    } catch (FileNotFoundException e) {
      return false;
    }
  }

  private List<Entry> entries(Path dir, String dirKey) throws IOException {
    List<Entry> entries = new ArrayList<>();
    RemoteIterator<FileStatus> children = store.fs().listStatusIterator(dir);
    while (children.hasNext()) {
      FileStatus child = children.next();
      String name = child.getPath().getName();
      if (name.isEmpty() || HadoopStore.isReserved(name)) {
        continue;
      }
      String key = dirKey + name;
      boolean directory = child.isDirectory();
      String sortKey = directory ? key + "/" : key;
      boolean wanted = directory
          ? sortKey.startsWith(prefix) || prefix.startsWith(sortKey)
          : child.isFile() && key.startsWith(prefix);
      if (wanted) {
        entries.add(new Entry(key, child, sortKey.getBytes(UTF_8)));
      }
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
        if (entry.status().isDirectory()) {
          try {
            stack.push(entries(entry.status().getPath(), entry.key() + "/").iterator());
          } catch (FileNotFoundException e) {
            // deleted while listing
          }
          continue;
        }
        next = HadoopStore.info(entry.key(), entry.status());
      }
      return next != null;
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException(HadoopErrors.translate("list", store.uri(prefix), e));
    }
  }

  @Override
  public void close() {
    stack.clear();
  }
}
