package io.skyplane.store.hadoop;

import static java.util.Objects.requireNonNull;

import io.skyplane.store.ExactLengthInputStream;
import io.skyplane.store.Keys;
import io.skyplane.store.MultipartWriter;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.EtagSource;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.util.functional.FutureIO;

/**
 * A Hadoop {@link FileSystem} (an uncached instance of its own) under a root directory; a key is a
 * path relative to it. Keys with empty, {@code .} or {@code ..} segments are FATAL: Hadoop paths
 * normalise them, so they cannot be held literally.
 *
 * <p>Whole-object writes: on file systems whose files appear only when their stream closes (S3A,
 * gcs-connector) the target is written directly, which is atomic, also over an existing object. On
 * the others (HDFS, ABFS, local, ...) the bytes go to a hidden temporary file next to the target
 * ({@code .NAME.skyplane-put-ID.tmp}) that is then renamed onto it. Where the file system's rename
 * does not replace an existing file (HDFS, ABFS, most of them: only the local one does), the old
 * object is deleted first: for that moment readers see no object, never a partial one.
 */
final class HadoopStore implements ObjectStore {
  /** Temporary files: {@code .NAME.skyplane-put-ID.tmp} (put), {@code .NAME.skyplane-ID.tmp} (complete). */
  static final Pattern TEMPORARY = Pattern.compile("^\\.(.+)\\.skyplane-(put-)?([0-9a-f]{16})\\.tmp$");
  /** The directory of multipart uploads' parts, next to their targets. */
  static final String PARTS_DIR = ".skyplane-parts";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final FileSystem fs;
  private final URI fsUri;
  private final String displayPrefix;
  private final String rootPrefix;
  private final boolean directCommit;
  private final HadoopMultipart multipart;

  /**
   * @param fsUri the file system's {@code SCHEME://AUTHORITY/}
   * @param scheme the store's scheme as the user writes it ({@code s3a}, {@code hadoop:gs}), for URIs
   * @param root the directory keys are relative to, without leading or trailing '/' ("" for the root)
   * @param directCommit whether a file is visible only, and whole, when its stream closes
   */
  HadoopStore(FileSystem fs, URI fsUri, String scheme, String bucket, String root, boolean directCommit) {
    this.fs = requireNonNull(fs, "fs is null");
    this.fsUri = requireNonNull(fsUri, "fsUri is null");
    this.rootPrefix = root.isEmpty() ? "" : root + "/";
    this.displayPrefix = scheme + "://" + bucket + "/" + rootPrefix;
    this.directCommit = directCommit;
    this.multipart = new HadoopMultipart(this);
  }

  FileSystem fs() {
    return fs;
  }

  boolean directCommit() {
    return directCommit;
  }

  static boolean isReserved(String name) {
    return name.equals(PARTS_DIR) || TEMPORARY.matcher(name).matches();
  }

  static String newId() {
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  @Override
  public String uri(String key) {
    return displayPrefix + key;
  }

  /** The path of a key, after checking it is one a file system can hold as it is. */
  Path path(String action, String key) throws IOException {
    Keys.check(action, key, uri(key));
    checkSegments(action, key);
    return rawPath(action, key);
  }

  /** The path of a directory key ("" for the root), checked like a key. */
  Path directory(String action, String dirKey) throws IOException {
    if (!dirKey.isEmpty()) {
      checkSegments(action, dirKey);
    }
    return rawPath(action, dirKey);
  }

  private void checkSegments(String action, String key) throws IOException {
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw HadoopErrors.fatal(action, uri(key),
            "a Hadoop path has no empty, '.' or '..' segments (they would be normalised away)");
      }
      if (segment.indexOf('\0') >= 0) {
        throw HadoopErrors.fatal(action, uri(key), "NUL in key");
      }
      if (isReserved(segment)) {
        throw HadoopErrors.fatal(action, uri(key), "names like '" + segment + "' are reserved for uploads");
      }
    }
  }

  private Path rawPath(String action, String key) throws IOException {
    try {
      return new Path(new URI(fsUri.getScheme(), fsUri.getAuthority(), "/" + rootPrefix + key, null, null));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw HadoopErrors.fatal(action, uri(key), "not a valid path: " + e.getMessage());
    }
  }

  @Override
  public ObjectListing list(String prefix) throws IOException {
    requireNonNull(prefix, "prefix is null");
    return new HadoopListing(this, prefix);
  }

  @Override
  public Optional<ObjectInfo> stat(String key) throws IOException {
    Path path = path("stat", key);
    try {
      FileStatus status = fs.getFileStatus(path);
      return status.isFile() ? Optional.of(info(key, status)) : Optional.empty();
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      throw HadoopErrors.translate("stat", uri(key), e);
    }
  }

  static ObjectInfo info(String key, FileStatus status) {
    String etag = status instanceof EtagSource source && source.getEtag() != null ? source.getEtag() : "";
    String version = etag.isEmpty() ? status.getLen() + "-" + status.getModificationTime() : etag;
    return new ObjectInfo(key, status.getLen(), status.getModificationTime(), etag, version);
  }

  @Override
  public InputStream read(String key, long offset, long length) throws IOException {
    Path path = path("read", key);
    if (offset < 0 || length < 0) {
      throw HadoopErrors.fatal("read", uri(key), "negative range " + offset + "+" + length);
    }
    FSDataInputStream in;
    try {
      FileStatus status = fs.getFileStatus(path);
      if (!status.isFile()) {
        throw HadoopErrors.notFound("read", uri(key));
      }
      if (offset + length > status.getLen()) {
        throw HadoopErrors.fatal("read", uri(key), "range [" + offset + ", " + (offset + length)
            + ") is past the end (size " + status.getLen() + ")");
      }
      if (length == 0) {
        return new ExactLengthInputStream(InputStream.nullInputStream(), 0, uri(key));
      }
      // With the status the connector need not look the file up again (S3A: no second HEAD).
      in = FutureIO.awaitFuture(fs.openFile(path).withFileStatus(status).build());
    } catch (IOException | RuntimeException e) {
      throw HadoopErrors.translate("read", uri(key), e);
    }
    try {
      if (offset > 0) {
        in.seek(offset);
      }
      return new ExactLengthInputStream(in, length, uri(key), HadoopErrors::translate);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw HadoopErrors.translate("read", uri(key), e);
    }
  }

  @Override
  public ObjectInfo put(String key, byte[] data, int offset, int length, int crc32c) throws IOException {
    Path path = path("put", key);
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    if ((int) crc.getValue() != crc32c) {
      throw HadoopErrors.fatal("put", uri(key), String.format(
          "CRC32C mismatch: expected %08x, data has %08x; nothing written", crc32c, (int) crc.getValue()));
    }
    try {
      if (directCommit) {
        write(path, true, data, offset, length);
      } else {
        Path temp = temporary(path, "put-" + newId());
        checkNotADirectory("put", key, path);
        try {
          write(temp, false, data, offset, length);
          renameOnto(temp, path);
        } catch (IOException | RuntimeException e) {
          deleteQuietly(temp);
          throw e;
        }
      }
      return info(key, fs.getFileStatus(path));
    } catch (IOException | RuntimeException e) {
      throw HadoopErrors.translate("put", uri(key), e);
    }
  }

  /** The hidden temporary file next to {@code target}: {@code .NAME.skyplane-ID.tmp}. */
  static Path temporary(Path target, String id) {
    return new Path(target.getParent(), "." + target.getName() + ".skyplane-" + id + ".tmp");
  }

  void checkNotADirectory(String action, String key, Path path) throws IOException {
    try {
      if (fs.getFileStatus(path).isDirectory()) {
        throw HadoopErrors.fatal(action, uri(key), "a directory is in the way");
      }
    } catch (FileNotFoundException e) {
      // the usual case
    }
  }

  /** Writes a whole file; on a failure the stream is aborted where the file system can. */
  private void write(Path path, boolean overwrite, byte[] data, int offset, int length) throws IOException {
    FSDataOutputStream out = fs.create(path, overwrite);
    try {
      out.write(data, offset, length);
    } catch (IOException | RuntimeException e) {
      abortQuietly(out, e);
      throw e;
    }
    out.close();
  }

  /** Gives up an output stream: aborts it where the file system can (S3A: nothing is written). */
  static void abortQuietly(FSDataOutputStream out, Exception failure) {
    try {
      if (out.hasCapability(StreamCapabilities.ABORTABLE_STREAM)) {
        out.abort();
      } else {
        out.close();
      }
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Renames {@code temp} onto {@code target}. Where rename does not replace a file, the target is
   * deleted first (not atomic: readers may see no object in between).
   */
  void renameOnto(Path temp, Path target) throws IOException {
    if (fs.rename(temp, target)) {
      return;
    }
    FileStatus existing;
    try {
      existing = fs.getFileStatus(target);
    } catch (FileNotFoundException e) {
      existing = null;
    }
    if (existing != null && existing.isFile()) {
      fs.delete(target, false);
      if (fs.rename(temp, target)) {
        return;
      }
    }
    throw new IOException("rename of " + temp + " to " + target + " failed"
        + (existing != null && existing.isDirectory() ? ": a directory is in the way" : ""));
  }

  void deleteQuietly(Path path) {
    try {
      fs.delete(path, true);
    } catch (IOException | RuntimeException e) {
      // a leftover hidden temporary file; listings skip it
    }
  }

  @Override
  public void delete(String key) throws IOException {
    Path path = path("delete", key);
    try {
      if (fs.getFileStatus(path).isFile()) {
        fs.delete(path, false);
      }
    } catch (FileNotFoundException e) {
      // deleting a missing object is fine
    } catch (IOException | RuntimeException e) {
      throw HadoopErrors.translate("delete", uri(key), e);
    }
  }

  @Override
  public MultipartWriter multipart() {
    return multipart;
  }

  @Override
  public void close() throws IOException {
    fs.close();
  }
}
