package io.skyplane.store.local;

import io.skyplane.store.DelimitedListing;
import io.skyplane.store.VersionedRead;
import static java.util.Objects.requireNonNull;

import io.skyplane.store.ExactLengthInputStream;
import io.skyplane.store.MultipartWriter;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Files under a root directory; a key is a relative path. Whole-object writes go to a temporary
 * file next to the target and are renamed over it atomically. Keys that could leave the root
 * ({@code ..}), start with '/', or have empty or {@code .} segments are rejected as FATAL.
 *
 * <p>Directory markers: a file system has directories, not keys ending in '/'. A marker {@code d/}
 * is the empty directory {@code d}: putting it (0 bytes) creates the directory, an empty directory
 * is listed and stat'ed as the marker (0 bytes), deleting the marker removes the directory while it
 * is empty. A directory with something in it is no marker (where S3 could hold both {@code d/} and
 * {@code d/x}). Deleting an object or aborting an upload also removes the directories it leaves
 * empty, up to the root, so that what a delete leaves never shows up as a marker; a marker that
 * held the deleted object goes with them.
 */
final class LocalStore implements ObjectStore, VersionedRead, DelimitedListing {
  private final Path root;
  private final LocalMultipart multipart;

  LocalStore(Path root) {
    this.root = requireNonNull(root, "root is null");
    this.multipart = new LocalMultipart(this);
  }

  Path root() {
    return root;
  }

  @Override
  public String uri(String key) {
    return "file://" + root + "/" + key;
  }

  /** The file of a key, after checking the key cannot escape the root. */
  Path path(String action, String key) throws IOException {
    requireNonNull(key, "key is null");
    if (key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
      throw LocalErrors.fatal(action, uri(key), "a key is non-empty and neither starts nor ends with '/'");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw LocalErrors.fatal(action, uri(key),
            "a local key has no empty, '.' or '..' segments (it must stay under " + root + ")");
      }
      if (segment.indexOf('\0') >= 0) {
        throw LocalErrors.fatal(action, uri(key), "NUL in key");
      }
      if (LocalMultipart.isTemporary(segment)) {
        throw LocalErrors.fatal(action, uri(key), "names like '" + segment + "' are reserved for uploads");
      }
    }
    Path path = root.resolve(key).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw LocalErrors.fatal(action, uri(key), "the key leaves " + root);
    }
    return path;
  }

  /** Whether {@code key} names a directory marker: it ends in '/'. */
  static boolean isMarker(String key) {
    return key.endsWith("/");
  }

  /** The directory of a marker key {@code d/}, checked like a key ({@code d} must be a valid key). */
  Path markerDirectory(String action, String key) throws IOException {
    if (key.equals("/") || !isMarker(key)) {
      throw LocalErrors.fatal(action, uri(key), "not a directory marker");
    }
    return path(action, key.substring(0, key.length() - 1));
  }

  /** Whether {@code dir} is a directory with nothing in it (no upload temporaries either). */
  static boolean isEmptyDirectory(Path dir) throws IOException {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      return !children.iterator().hasNext();
    } catch (NotDirectoryException | NoSuchFileException e) {
      return false;
    }
  }

  static ObjectInfo markerInfo(String key, BasicFileAttributes attrs) {
    long modified = attrs.lastModifiedTime().toMillis();
    return new ObjectInfo(key, 0, modified, "", "0-" + modified);
  }

  /**
   * Removes the directories above {@code removed} that are empty now, up to the root; stops at
   * the first that is not (or is gone already).
   */
  void pruneEmptyParents(Path removed) {
    for (Path dir = removed.getParent(); dir != null && dir.startsWith(root) && !dir.equals(root);
        dir = dir.getParent()) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return;
      } catch (IOException e) {
        return; // a directory we cannot remove stays; it holds something or is not ours
      }
    }
  }

  /**
   * Creates the parent directories of {@code file} and then the file with {@code create}, again
   * when a concurrent {@link #pruneEmptyParents} removed a directory in between.
   */
  static <T> T inParents(Path file, IoAction<T> create) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Files.createDirectories(file.getParent());
      try {
        return create.run();
      } catch (NoSuchFileException e) {
        if (attempt >= 5) {
          throw e;
        }
      }
    }
  }

  /** A file-system step that may fail. */
  @FunctionalInterface
  interface IoAction<T> {
    T run() throws IOException;
  }

  @Override
  public ObjectListing list(String prefix) throws IOException {
    requireNonNull(prefix, "prefix is null");
    return new LocalListing(this, prefix);
  }

  @Override
  public Level listLevel(String prefix) throws IOException {
    requireNonNull(prefix, "prefix is null");
    return new LocalLevel(this, prefix).start();
  }

  @Override
  public Optional<ObjectInfo> stat(String key) throws IOException {
    if (isMarker(key)) {
      Path dir = markerDirectory("stat", key);
      try {
        BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class);
        return attrs.isDirectory() && isEmptyDirectory(dir) ? Optional.of(markerInfo(key, attrs)) : Optional.empty();
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw LocalErrors.translate("stat", uri(key), e);
      }
    }
    Path path = path("stat", key);
    try {
      BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
      return attrs.isRegularFile() ? Optional.of(info(key, attrs)) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw LocalErrors.translate("stat", uri(key), e);
    }
  }

  static ObjectInfo info(String key, BasicFileAttributes attrs) {
    long modified = attrs.lastModifiedTime().toMillis();
    return new ObjectInfo(key, attrs.size(), modified, "", attrs.size() + "-" + attrs.lastModifiedTime().toMillis());
  }

  @Override
  public InputStream read(String key, long offset, long length) throws IOException {
    return read(key, offset, length, "");
  }

  @Override
  public InputStream read(String key, long offset, long length, String version) throws IOException {
    if (isMarker(key)) {
      ObjectInfo marker = stat(key).orElseThrow(() -> LocalErrors.notFound("read", uri(key)));
      if (offset < 0 || length < 0 || offset + length > 0) {
        throw LocalErrors.fatal("read", uri(key),
            "range [" + offset + ", " + (offset + length) + ") is past the end (size 0)");
      }
      if (!version.isEmpty() && !version.equals(marker.version())) {
        throw VersionedRead.changed(uri(key), version, marker.version());
      }
      return InputStream.nullInputStream();
    }
    Path path = path("read", key);
    if (offset < 0 || length < 0) {
      throw LocalErrors.fatal("read", uri(key), "negative range " + offset + "+" + length);
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw LocalErrors.translate("read", uri(key), e);
    }
    try {
      long size = channel.size();
      if (!version.isEmpty()) {
        String now = size + "-" + Files.getLastModifiedTime(path).toMillis();
        if (!now.equals(version)) {
          throw VersionedRead.changed(uri(key), version, now);
        }
      }
      if (offset + length > size) {
        throw LocalErrors.fatal("read", uri(key),
            "range [" + offset + ", " + (offset + length) + ") is past the end (size " + size + ")");
      }
      channel.position(offset);
      return new ExactLengthInputStream(Channels.newInputStream(channel), length, uri(key));
    } catch (IOException e) {
      channel.close();
      throw LocalErrors.translate("read", uri(key), e);
    }
  }

  @Override
  public ObjectInfo put(String key, byte[] data, int offset, int length, int crc32c) throws IOException {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    if ((int) crc.getValue() != crc32c) {
      throw LocalErrors.fatal("put", uri(key), String.format(
          "CRC32C mismatch: expected %08x, data has %08x; nothing written", crc32c, (int) crc.getValue()));
    }
    if (isMarker(key)) {
      return putMarker(key, length);
    }
    Path path = path("put", key);
    Path temp = LocalMultipart.temporary(path, "put-" + LocalMultipart.newId());
    try {
      try (FileChannel out = inParents(temp, () ->
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
        ByteBuffer buffer = ByteBuffer.wrap(data, offset, length);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      }
      Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return info(key, Files.readAttributes(path, BasicFileAttributes.class));
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw LocalErrors.translate("put", uri(key), e);
    }
  }

  private ObjectInfo putMarker(String key, int length) throws IOException {
    Path dir = markerDirectory("put", key);
    if (length != 0) {
      throw LocalErrors.fatal("put", uri(key), "a key ending in '/' is a directory marker here, which holds"
          + " no bytes (a file system has no file whose name ends in '/')");
    }
    try {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw LocalErrors.fatal("put", uri(key), "a file holds the marker's name");
      }
      inParents(dir, () -> Files.createDirectories(dir));
      return markerInfo(key, Files.readAttributes(dir, BasicFileAttributes.class));
    } catch (IOException e) {
      throw LocalErrors.translate("put", uri(key), e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    Path path = isMarker(key) ? markerDirectory("delete", key) : path("delete", key);
    try {
      boolean removed;
      if (isMarker(key)) {
        try {
          removed = isEmptyDirectory(path) && Files.deleteIfExists(path);
        } catch (DirectoryNotEmptyException e) {
          removed = false; // something arrived meanwhile: no marker any more
        }
      } else {
        removed = !Files.isDirectory(path) && Files.deleteIfExists(path);
      }
      if (removed) {
        pruneEmptyParents(path);
      }
    } catch (IOException e) {
      throw LocalErrors.translate("delete", uri(key), e);
    }
  }

  @Override
  public MultipartWriter multipart() {
    return multipart;
  }

  @Override
  public void close() {}
}
