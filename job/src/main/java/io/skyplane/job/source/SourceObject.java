package io.skyplane.job.source;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import javax.annotation.Nullable;

/**
 * One object found at the source (or, for sync, at the destination).
 *
 * @param key key relative to the transfer's source prefix (or root directory)
 * @param path the file, for local sources; null for object stores
 * @param size size in bytes
 * @param mtime modification time, epoch millis
 * @param version the store's version token ({@link io.skyplane.store.ObjectInfo#version()}), "" for
 *     local files (their size and mtime are checked instead)
 * @param crc32c the object's CRC32C as the store reports it (base64, as in GCS), or "" when unknown
 */
public record SourceObject(String key, @Nullable Path path, long size, long mtime, String version, String crc32c) {
  public SourceObject {
    requireNonNull(key, "key is null");
    requireNonNull(version, "version is null");
    requireNonNull(crc32c, "crc32c is null");
  }

  public SourceObject(String key, Path path, long size, long mtime) {
    this(key, requireNonNull(path, "path is null"), size, mtime, "", "");
  }
}
