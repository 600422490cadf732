package io.skyplane.store.local;

import io.skyplane.store.DelimitedListing.LevelEntry;
import io.skyplane.store.PagedLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One level under a prefix: the entries of the directory the prefix names up to its last '/'
 * whose names start with the rest of the prefix (so {@code "logs/2026-"} reads {@code logs} and
 * keeps names starting with {@code 2026-}). Files are the level's objects; a directory is a child
 * prefix when {@link LocalListing} yields something for it: a file somewhere below, or an empty
 * directory (a directory marker) somewhere below or itself (upload temporaries in the reserved
 * area are files like any other). The level of {@code d/} holds the marker {@code d/} itself when
 * {@code d} is empty. The directory is read in one go, as {@link LocalListing} reads each directory.
 */
final class LocalLevel extends PagedLevel {
  private final LocalStore store;
  private final String prefix;
  private boolean read;

  LocalLevel(LocalStore store, String prefix) throws IOException {
    this.store = store;
    this.prefix = prefix;
    if (!Files.isDirectory(store.root())) {
      throw LocalErrors.notFound("list", store.uri(prefix));
    }
  }

  @Override
  protected List<LevelEntry> fetch() {
    if (read) {
      return null;
    }
    read = true;
    int slash = prefix.lastIndexOf('/');
    String dirKey = slash < 0 ? "" : prefix.substring(0, slash);
    String namePrefix = prefix.substring(slash + 1);
    String keyPrefix = dirKey.isEmpty() ? "" : dirKey + "/";
    List<LevelEntry> entries = new ArrayList<>();
    try {
      Path dir = dirKey.isEmpty() ? store.root() : store.path("list", dirKey);
      if (!Files.isDirectory(dir)) {
        return entries;
      }
      if (!dirKey.isEmpty() && namePrefix.isEmpty() && LocalStore.isEmptyDirectory(dir)) {
        try {
          entries.add(LevelEntry.of(LocalStore.markerInfo(keyPrefix,
              Files.readAttributes(dir, BasicFileAttributes.class))));
        } catch (NoSuchFileException e) {
          // deleted while listing
        }
        return entries;
      }
      try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
        for (Path child : children) {
          String name = child.getFileName().toString();
          if (!name.startsWith(namePrefix)) {
            continue;
          }
          if (Files.isDirectory(child)) {
            if (holdsAnObject(child)) {
              entries.add(LevelEntry.ofPrefix(keyPrefix + name + "/"));
            }
            continue;
          }
          try {
            BasicFileAttributes attrs = Files.readAttributes(child, BasicFileAttributes.class);
            if (attrs.isRegularFile()) {
              entries.add(LevelEntry.of(LocalStore.info(keyPrefix + name, attrs)));
            }
          } catch (NoSuchFileException e) {
            // deleted while listing
          }
        }
      } catch (NoSuchFileException e) {
        // deleted while listing
      }
    } catch (IOException e) {
      throw new UncheckedIOException(LocalErrors.translate("list", store.uri(prefix), e));
    }
    return entries;
  }

  /**
   * Whether {@link LocalListing} would yield something for {@code dir}: a regular file somewhere
   * below it, or an empty directory (a marker), {@code dir} included.
   * Stops at the first; usually the first entry read.
   */
  private static boolean holdsAnObject(Path dir) throws IOException {
    Deque<Path> pending = new ArrayDeque<>();
    pending.push(dir);
    while (!pending.isEmpty()) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(pending.pop())) {
        boolean empty = true;
        for (Path child : children) {
          empty = false;
          if (Files.isDirectory(child)) {
            pending.push(child);
          } else if (Files.isRegularFile(child)) {
            return true;
          }
        }
        if (empty) {
          return true; // an empty directory: a marker
        }
      } catch (NoSuchFileException e) {
        // deleted while listing
      }
    }
    return false;
  }
}
