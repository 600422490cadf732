package io.skyplane.job.source;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * One object found at the source.
 *
 * @param key key relative to the source root
 * @param path the file
 * @param size size in bytes
 * @param mtime modification time, epoch millis
 */
public record SourceObject(String key, Path path, long size, long mtime) {
  public SourceObject {
    requireNonNull(key, "key is null");
    requireNonNull(path, "path is null");
  }
}
