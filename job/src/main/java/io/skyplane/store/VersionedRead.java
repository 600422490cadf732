package io.skyplane.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * Optional ability of an {@link ObjectStore}: a ranged read pinned to the version of the object
 * that was listed, so that a transfer never mixes bytes of two versions of an object. All stores of
 * this project have it (S3 and Azure: {@code If-Match} on the ETag; GCS: the generation; local files:
 * size and modification time).
 */
public interface VersionedRead {

  /**
   * Like {@link ObjectStore#read}, but fails with {@link StoreException.Kind#FATAL} ("changed since
   * it was listed") when the object's {@link ObjectInfo#version()} is no longer {@code version}.
   * An empty version reads whatever is there.
   */
  InputStream read(String key, long offset, long length, String version) throws IOException;

  /** The error for a read of an object that changed since it was listed. */
  static StoreException changed(String uri, String expected, String actual) {
    return new StoreException(StoreException.Kind.FATAL, "cannot read " + uri
        + ": the object changed since it was listed (version " + expected + ", now " + actual + ")");
  }
}
