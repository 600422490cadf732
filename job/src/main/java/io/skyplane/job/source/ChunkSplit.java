package io.skyplane.job.source;

import static java.util.Objects.requireNonNull;

import javax.annotation.Nullable;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.Path;

/**
 * A chunk of one source object: flink-connector-files' {@link FileSourceSplit} (path, offset,
 * length, object size and mtime, reader position) plus what an object store needs.
 *
 * <p>{@code key} is the object's key relative to the transfer (the path is only informative for
 * store objects, whose keys need not be valid paths); {@code version} pins the read to the listed
 * version of the object; {@code uploadId} names the destination's multipart upload this chunk is a
 * part of ("" when the object is written in one request, or locally); {@code pathIndex} is the plan
 * path the chunk travels.
 */
public final class ChunkSplit extends FileSourceSplit {
  private static final long serialVersionUID = 1L;
  private static final String[] NO_HOSTS = new String[0];
  /** Longest error a split carries. */
  static final int MAX_ERROR = 2000;

  private final String key;
  private final String version;
  private final String uploadId;
  private final long uploadStartedMillis;
  private final int pathIndex;
  private final String error;

  public ChunkSplit(String id, Path path, long offset, long length, long mtime, long objectSize,
      @Nullable CheckpointedPosition position, String key, String version, String uploadId,
      long uploadStartedMillis, int pathIndex) {
    this(id, path, offset, length, mtime, objectSize, position, key, version, uploadId, uploadStartedMillis,
        pathIndex, "");
  }

  /**
   * @param error why the chunk cannot be copied although it was listed (its destination upload
   *     could not be started), or "": the reader sends a failed frame instead of reading it
   */
  public ChunkSplit(String id, Path path, long offset, long length, long mtime, long objectSize,
      @Nullable CheckpointedPosition position, String key, String version, String uploadId,
      long uploadStartedMillis, int pathIndex, String error) {
    super(id, path, offset, length, mtime, objectSize, NO_HOSTS, position);
    this.error = requireNonNull(error, "error is null");
    this.key = requireNonNull(key, "key is null");
    this.version = requireNonNull(version, "version is null");
    this.uploadId = requireNonNull(uploadId, "uploadId is null");
    this.uploadStartedMillis = uploadStartedMillis;
    if (pathIndex < 0) {
      throw new IllegalArgumentException("path index must not be negative, got " + pathIndex);
    }
    this.pathIndex = pathIndex;
  }

  /** The index of the plan path this chunk travels (0 without a plan). */
  public int pathIndex() {
    return pathIndex;
  }

  /** The same chunk on another plan path. */
  public ChunkSplit onPath(int newPath) {
    return new ChunkSplit(splitId(), path(), offset(), length(), fileModificationTime(), fileSize(),
        getReaderPosition().orElse(null), key, version, uploadId, uploadStartedMillis, newPath, error);
  }

  /** Why this chunk cannot be copied ("" when it can). */
  public String error() {
    return error;
  }

  /** The same chunk, known to fail for {@code reason} (cut to {@link #MAX_ERROR} characters). */
  public ChunkSplit failed(String reason) {
    String cut = reason.length() > MAX_ERROR ? reason.substring(0, MAX_ERROR) + "..." : reason;
    return new ChunkSplit(splitId(), path(), offset(), length(), fileModificationTime(), fileSize(),
        getReaderPosition().orElse(null), key, version, uploadId, uploadStartedMillis, pathIndex, cut);
  }

  public String key() {
    return key;
  }

  public String version() {
    return version;
  }

  public String uploadId() {
    return uploadId;
  }

  /** When the multipart upload was started (epoch millis, the store's clock where it tells), or 0. */
  public long uploadStartedMillis() {
    return uploadStartedMillis;
  }

  /** The same chunk, part of the given multipart upload. */
  public ChunkSplit withUpload(String id, long startedMillis) {
    return new ChunkSplit(splitId(), path(), offset(), length(), fileModificationTime(), fileSize(),
        getReaderPosition().orElse(null), key, version, id, startedMillis, pathIndex, error);
  }

  @Override
  public ChunkSplit updateWithCheckpointedPosition(@Nullable CheckpointedPosition position) {
    return new ChunkSplit(splitId(), path(), offset(), length(), fileModificationTime(), fileSize(),
        position, key, version, uploadId, uploadStartedMillis, pathIndex, error);
  }

  @Override
  public String toString() {
    return "ChunkSplit{" + splitId() + ": " + key + " [" + offset() + ", +" + length() + ")"
        + (uploadId.isEmpty() ? "" : " upload " + uploadId) + (pathIndex == 0 ? "" : " path " + pathIndex) + (error.isEmpty() ? "" : " failed: " + error) + "}";
  }
}
