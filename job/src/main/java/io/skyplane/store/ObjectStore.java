package io.skyplane.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * One bucket (or container, or local directory) of an object store, addressed by keys: '/'-separated
 * strings, never starting with '/'. Keys are compared as UTF-8 bytes. A method given an empty key or
 * one starting with '/' fails with {@link StoreException.Kind#FATAL} before any request; a store
 * that cannot hold a key literally (local files: {@code ..}, {@code .} or empty segments) also fails
 * with FATAL, never writing outside its bucket or root.
 *
 * <p>Every failure is a {@link StoreException} whose message names the action and the object's URI.
 * Implementations rely on their SDK's own retries for transient errors (and slow down on
 * throttling); they do not add a second retry loop. Instances are thread-safe; they are built on a
 * worker from a serializable {@link StoreSpec} (in an operator's {@code open()}), never shipped.
 */
public interface ObjectStore extends Closeable {

  /** The URI of a key in this store, for messages and reports, e.g. {@code s3://bucket/a/b}. */
  String uri(String key);

  /**
   * Lists the objects whose keys start with {@code prefix} ("" for all), in ascending key order,
   * lazily: pages are fetched as the iterator advances. Objects created or deleted while listing may
   * or may not appear. "Directory" placeholders (keys ending in '/', 0 bytes) are skipped.
   *
   * @throws StoreException {@link StoreException.Kind#NOT_FOUND} when the bucket does not exist
   */
  ObjectListing list(String prefix) throws IOException;

  /** The object's metadata, or empty when there is no object with this key. */
  Optional<ObjectInfo> stat(String key) throws IOException;

  /**
   * Opens a stream over the bytes {@code [offset, offset + length)} of an object. The stream yields
   * exactly {@code length} bytes or fails; a range past the end of the object fails.
   *
   * @throws StoreException {@link StoreException.Kind#NOT_FOUND} when the object does not exist
   */
  InputStream read(String key, long offset, long length) throws IOException;

  /**
   * Writes a whole object in one request. Atomic: readers see the previous object or the whole new
   * one, never a part. The store verifies the bytes it received against the given CRC32C where it
   * can (S3 and GCS do); on a mismatch nothing is written.
   */
  ObjectInfo put(String key, byte[] data, int offset, int length, int crc32c) throws IOException;

  /** Deletes an object. Deleting a missing object is not an error. */
  void delete(String key) throws IOException;

  /** Writes large objects in parts, from any number of workers. */
  MultipartWriter multipart();
}
