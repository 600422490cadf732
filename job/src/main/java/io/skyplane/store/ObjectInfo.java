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
 */
public record ObjectInfo(String key, long size, long lastModifiedMillis, String etag, String version)
    implements Serializable {
  public ObjectInfo {
    requireNonNull(key, "key is null");
    requireNonNull(etag, "etag is null");
    requireNonNull(version, "version is null");
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size + " of " + key);
    }
  }
}
