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
import io.skyplane.store.PartData;
import io.skyplane.store.WriteOptions;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;

/**
 * Files under a root directory; a key is a relative path. Whole-object writes go to a temporary
 * file in the reserved area {@code .skyplane-tmp/} at the root (see {@link LocalMultipart}) and are
 * renamed over the target atomically, with the source's modification time when given. Keys that could leave the root
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
  /**
   * Per root, for this JVM: puts hold the read lock while they create their temporary in the
   * reserved area, and the area is removed (when empty) only under the write lock, taken without
   * waiting. So no put of this JVM ever sees the area vanish between creating it and creating its
   * file in it (4 threads putting 1,000 one-byte files lost that race, 5 times running, about once
   * in 10,000 puts). Other processes writing under the same root can still remove it in between:
   * {@link #inParents} retries for them.
   */
  private static final ConcurrentHashMap<Path, ReadWriteLock> AREA_LOCKS = new ConcurrentHashMap<>();

  private final Path root;
  private final LocalMultipart multipart;
  private final ReadWriteLock areaLock;

  LocalStore(Path root) {
    this.root = requireNonNull(root, "root is null");
    this.multipart = new LocalMultipart(this);
    this.areaLock = AREA_LOCKS.computeIfAbsent(root.toAbsolutePath().normalize(),
        r -> new ReentrantReadWriteLock());
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

  private static final int IN_PARENTS_ATTEMPTS = 100;

  /**
   * Creates the parent directories of {@code file} and then the file with {@code create}, again
   * when a concurrent {@link #pruneEmptyParents} removed a directory in between.
   */
  static <T> T inParents(Path file, IoAction<T> create) throws IOException {
    for (int attempt = 1; ; attempt++) {
      if (attempt > 1) {
        Thread.yield(); // let the remover finish; each lost race is another writer's progress
      }
      try {
        Files.createDirectories(file.getParent());
      } catch (FileAlreadyExistsException e) {
        // a file in the way, or a directory removed by a concurrent prune between the checks
        if (attempt >= IN_PARENTS_ATTEMPTS || fileInTheWay(file.getParent())) {
          throw e;
        }
        continue;
      }
      try {
        return create.run();
      } catch (NoSuchFileException e) {
        if (attempt >= IN_PARENTS_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** Whether {@code dir} or one of its parents exists and is not a directory. */
  private static boolean fileInTheWay(Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        return !Files.isDirectory(p);
      }
    }
    return false;
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
    return put(key, PartData.of(data, offset, length, crc32c), WriteOptions.NONE);
  }

  /**
   * Streams the bytes into a temporary file in the reserved area ({@code .skyplane-tmp/<id>.put},
   * where {@code <id>} starts with the tag), checks their CRC32C, and renames the file over the
   * target: nothing is visible at the key unless all the bytes arrived intact.
   */
  @Override
  public ObjectInfo put(String key, PartData data, WriteOptions options) throws IOException {
    if (isMarker(key)) {
      return putMarker(key, data, options.modifiedMillis());
    }
    Path path = path("put", key);
    Path temp = root.resolve(LocalMultipart.AREA).resolve(LocalMultipart.newTemporaryId(options.tag()) + ".put");
    try {
      try (FileChannel out = createTemporary(temp)) {
        write(data, out, 0, "put", uri(key));
      }
      ObjectInfo info = publish(temp, path, key, options.modifiedMillis(), "put");
      removeAreaIfEmpty();
      return info;
    } catch (IOException e) {
      try {
        if (Files.deleteIfExists(temp)) {
          removeAreaIfEmpty();
        }
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw LocalErrors.translate("put", uri(key), e);
    }
  }

  /**
   * Creates a put's temporary file in the reserved area: at once where the area exists (the usual
   * case: one system call), else after creating it ({@link #inParents}, which also copes with a
   * concurrent put removing the area in between).
   */
  private FileChannel createTemporary(Path temp) throws IOException {
    Lock creating = areaLock.readLock();
    creating.lock();
    try {
      return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      return inParents(temp, () -> FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    } finally {
      creating.unlock();
    }
  }

  /**
   * Removes the reserved area when nothing is left in it (a put's temporary was its last file), so
   * that a put leaves nothing behind. {@link java.io.File#delete()}: an unlink and an rmdir that
   * fail quietly while the area holds anything (other puts' temporaries, uploads, a run's lease),
   * with no exception built per put; it never removes a non-empty directory. Called only after a
   * temporary was created in the area and removed from it, so the area is a directory.
   */
  private void removeAreaIfEmpty() {
    Lock removing = areaLock.writeLock();
    if (removing.tryLock()) { // else a put of this JVM is creating its temporary: the area stays
      try {
        root.resolve(LocalMultipart.AREA).toFile().delete();
      } finally {
        removing.unlock();
      }
    }
  }

  /**
   * Writes all of {@code data} to {@code out} from {@code position}, as it arrives; returns the
   * CRC32C of the bytes written after checking it against the data's. Fails with FATAL when the
   * data yields another number of bytes or another checksum.
   */
  static int write(PartData data, FileChannel out, long position, String action, String uri) throws IOException {
    CRC32C crc = new CRC32C();
    long remaining = data.length();
    byte[] buffer = new byte[(int) Math.max(1, Math.min(WRITE_BUFFER, remaining))];
    long at = position;
    try (InputStream in = data.open()) {
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          throw LocalErrors.fatal(action, uri, "the data ended after " + (data.length() - remaining)
              + " of " + data.length() + " bytes");
        }
        crc.update(buffer, 0, n);
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          at += out.write(chunk, at);
        }
        remaining -= n;
      }
      if (in.read() >= 0) {
        throw LocalErrors.fatal(action, uri, "the data holds more than " + data.length() + " bytes");
      }
    }
    int written = (int) crc.getValue();
    if (written != data.crc32c()) {
      throw LocalErrors.fatal(action, uri, String.format(
          "CRC32C mismatch: expected %08x, data has %08x; nothing written", data.crc32c(), written));
    }
    return written;
  }

  private static final int WRITE_BUFFER = 256 << 10;

  /**
   * Puts a complete temporary file in place: gives it the source's time (when &gt; 0) and renames it
   * over the target, atomically; across file systems (a mount point under the root) it is copied
   * next to the target first, then renamed there.
   */
  ObjectInfo publish(Path temp, Path target, String key, long modifiedMillis, String action) throws IOException {
    if (modifiedMillis > 0) {
      Files.setLastModifiedTime(temp, FileTime.fromMillis(modifiedMillis));
    }
    // The usual case first, in one system call: the target's directory exists and nothing is in
    // the way. Anything else (a missing directory, a directory or file in the way, another file
    // system) takes the careful path below, which tells them apart.
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return info(key, Files.readAttributes(target, BasicFileAttributes.class));
    } catch (IOException e) {
      if (!Files.exists(temp, LinkOption.NOFOLLOW_LINKS)) {
        throw e; // not ours to retry: the temporary is gone
      }
    }
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw LocalErrors.fatal(action, uri(key), "a directory is in the way");
    }
    try {
      inParents(target, () -> {
        try {
          return Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Path sibling = target.resolveSibling(".skyplane-" + LocalMultipart.newId("") + ".tmp");
          try {
            Files.copy(temp, sibling, StandardCopyOption.COPY_ATTRIBUTES);
            Files.move(sibling, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } finally {
            Files.deleteIfExists(sibling);
          }
          Files.deleteIfExists(temp);
          return target;
        }
      });
    } catch (FileAlreadyExistsException | NotDirectoryException e) {
      throw LocalErrors.fatal(action, uri(key), "a file is in the way of its directory");
    }
    pruneEmptyParents(temp);
    return info(key, Files.readAttributes(target, BasicFileAttributes.class));
  }

  private ObjectInfo putMarker(String key, PartData data, long modifiedMillis) throws IOException {
    Path dir = markerDirectory("put", key);
    if (data.length() != 0) {
      throw LocalErrors.fatal("put", uri(key), "a key ending in '/' is a directory marker here, which holds"
          + " no bytes (a file system has no file whose name ends in '/')");
    }
    try {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw LocalErrors.fatal("put", uri(key), "a file holds the marker's name");
      }
      if (data.crc32c() != 0) {
        throw LocalErrors.fatal("put", uri(key), String.format("CRC32C mismatch: expected %08x, no bytes have 0", data.crc32c()));
      }
      inParents(dir, () -> Files.createDirectories(dir));
      if (modifiedMillis > 0) {
        Files.setLastModifiedTime(dir, FileTime.fromMillis(modifiedMillis));
      }
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
