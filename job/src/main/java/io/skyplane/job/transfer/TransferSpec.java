package io.skyplane.job.transfer;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.codec.Compression;
import io.skyplane.job.plan.Route;
import io.skyplane.job.scratch.Scratch;
import java.io.Serializable;
import java.nio.file.Path;
import javax.annotation.Nullable;

/**
 * Everything the job's operators need to know about a transfer; shipped to every task.
 *
 * @param transferId this run's id, 12 hex digits ({@link Scratch#newRunId()}): names the run's area
 *     in the destination (lease, upload journal, temporary files)
 * @param source where objects are read: a store and a key prefix (or, for a single object, its key)
 * @param destination where objects are written: a store and a key prefix (or the target key)
 * @param singleObject whether the transfer copies one object (then its relative key is the object's
 *     name, the text after the last '/')
 * @param chunkSize bytes per chunk (the unit of parallel reads)
 * @param frameSize bytes per frame (the unit of compression, checksums and network records)
 * @param compression what is applied before data leaves the source
 * @param parallelism parallel readers and writers
 * @param corruptChunk test hook: "KEY#INDEX" of a chunk whose bytes are damaged in transit, or ""
 * @param route the plan the job graph follows (regions, paths, parallelism per region), or null for
 *     the plain two-stage job on any TaskManagers
 */
public record TransferSpec(
    String transferId,
    Location source,
    Location destination,
    boolean singleObject,
    long chunkSize,
    int frameSize,
    Compression compression,
    int parallelism,
    String corruptChunk,
    @Nullable Route route)
    implements Serializable {
  /** Records above 5 MiB spill to disk at the receiver; frames stay below that even incompressible. */
  public static final int MAX_FRAME_SIZE = 4 << 20;

  /** A transfer without a plan. */
  public TransferSpec(String transferId, Location source, Location destination, boolean singleObject,
      long chunkSize, int frameSize, Compression compression, int parallelism, String corruptChunk) {
    this(transferId, source, destination, singleObject, chunkSize, frameSize, compression, parallelism,
        corruptChunk, null);
  }

  /** The same transfer following {@code newRoute}. */
  public TransferSpec withRoute(@Nullable Route newRoute) {
    return new TransferSpec(transferId, source, destination, singleObject, chunkSize, frameSize,
        compression, parallelism, corruptChunk, newRoute);
  }

  public TransferSpec {
    requireNonNull(transferId, "transferId is null");
    if (!Scratch.isRunId(transferId)) {
      throw new IllegalArgumentException("a transfer id is 12 hex digits, got '" + transferId + "'");
    }
    requireNonNull(source, "source is null");
    requireNonNull(destination, "destination is null");
    requireNonNull(compression, "compression is null");
    requireNonNull(corruptChunk, "corruptChunk is null");
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunk size must be positive, got " + chunkSize);
    }
    if (frameSize <= 0 || frameSize > MAX_FRAME_SIZE) {
      throw new IllegalArgumentException(
          "frame size must be in 1.." + MAX_FRAME_SIZE + ", got " + frameSize);
    }
    if (parallelism <= 0) {
      throw new IllegalArgumentException("parallelism must be positive, got " + parallelism);
    }
  }

  /** For a local source: the directory of a tree, or the file of a single object. */
  public String sourceRoot() {
    return source.localPath(singleObject).toString();
  }

  /** For a local destination: the directory objects go under, or the target file of a single object. */
  public String destinationRoot() {
    return destination.localPath(singleObject).toString();
  }

  /** The key of a source file: its path relative to the source root, '/'-separated. */
  public String keyOf(Path sourceFile) {
    if (singleObject) {
      return sourceFile.getFileName().toString();
    }
    Path relative = Path.of(sourceRoot()).relativize(sourceFile);
    return relative.toString().replace(sourceFile.getFileSystem().getSeparator(), "/");
  }

  /** The relative key of a source object listed under the source prefix. */
  public String relativeKey(String sourceKey) {
    if (singleObject) {
      return sourceKey.substring(sourceKey.lastIndexOf('/') + 1);
    }
    return sourceKey.substring(source.prefix().length());
  }

  /** The source store's key of the object with this relative key. */
  public String sourceKey(String relativeKey) {
    return singleObject ? source.prefix() : source.prefix() + relativeKey;
  }

  /** The destination store's key of the object with this relative key. */
  public String destinationKey(String relativeKey) {
    return singleObject ? destination.prefix() : destination.prefix() + relativeKey;
  }

  /**
   * Whether an object is a directory marker: a key ending in '/' with no bytes (stores' way of
   * showing an empty "directory"). Markers are copied as markers between stores and become
   * directories in a local destination.
   */
  public static boolean isMarker(String key, long size) {
    return size == 0 && key.endsWith("/");
  }

  /**
   * For a local destination: where the object with this relative key is committed (for a
   * directory marker, the directory). A key that is not a plain relative path (empty, '.' or '..'
   * segments, a leading '/', a NUL) is refused with {@link IllegalArgumentException}: store keys
   * never write outside the destination directory.
   */
  public Path destinationOf(String key) {
    if (singleObject) {
      return Path.of(destinationRoot());
    }
    String path = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    if (path.isEmpty() || path.startsWith("/") || path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("key '" + key + "' cannot be a file under " + destinationRoot());
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("key '" + key + "' cannot be a file under " + destinationRoot()
            + ": it has an empty, '.' or '..' segment");
      }
    }
    Path root = Path.of(destinationRoot());
    Path target = root.resolve(path).normalize();
    if (!target.startsWith(root)) {
      throw new IllegalArgumentException("key '" + key + "' lies outside " + destinationRoot());
    }
    return target;
  }

  /**
   * For a local destination: the root of its store, where the run's area lies: the directory of a
   * tree, or the directory of a single file.
   */
  public Path destinationStoreRoot() {
    return Path.of(destination.store().option(io.skyplane.store.local.LocalStoreFactory.ROOT, "/"));
  }

  public int chunkCount(long objectSize) {
    return objectSize == 0 ? 1 : (int) ((objectSize + chunkSize - 1) / chunkSize);
  }

  public long chunkLength(long objectSize, int chunkIndex) {
    return Math.min(chunkSize, objectSize - chunkIndex * chunkSize);
  }
}
