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
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
    Path path = path("put", key);
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    if ((int) crc.getValue() != crc32c) {
      throw LocalErrors.fatal("put", uri(key), String.format(
          "CRC32C mismatch: expected %08x, data has %08x; nothing written", crc32c, (int) crc.getValue()));
    }
    Path temp = LocalMultipart.temporary(path, "put-" + LocalMultipart.newId());
    try {
      Files.createDirectories(path.getParent());
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
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

  @Override
  public void delete(String key) throws IOException {
    Path path = path("delete", key);
    try {
      if (!Files.isDirectory(path)) {
        Files.deleteIfExists(path);
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
