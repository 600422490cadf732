package io.skyplane.store;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * An object's metadata.
 *
 * @param key the key
 * @param size bytes
 * @param lastModifiedMillis last modification, epoch millis
 * @param etag the store's entity tag ("" when the store has none); not always a content hash
 * @param version a token that changes whenever the object is replaced (S3/Azure: ETag; GCS:
 *     generation; files: size and modification time), to detect a source changing mid-transfer
 * @param crc32c the CRC32C of the whole object as the store reports it (base64 of the big-endian
 *     value, as GCS does), or "" when the store does not keep one (or only a composite of parts)
 */
public record ObjectInfo(String key, long size, long lastModifiedMillis, String etag, String version,
    String crc32c) implements Serializable {
  public ObjectInfo {
    requireNonNull(key, "key is null");
    requireNonNull(etag, "etag is null");
    requireNonNull(version, "version is null");
    requireNonNull(crc32c, "crc32c is null");
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size + " of " + key);
    }
  }

  /** An object whose store keeps no whole-object checksum. */
  public ObjectInfo(String key, long size, long lastModifiedMillis, String etag, String version) {
    this(key, size, lastModifiedMillis, etag, version, "");
  }
}
