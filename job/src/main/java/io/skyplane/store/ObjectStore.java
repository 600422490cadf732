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
 * <p>Directory markers, the 0-byte objects {@code dir/} that consoles and other tools create for
 * "folders", are objects like any other: listed, stat'ed, read (0 bytes), put and deleted by their
 * key. A store over a file system holds a marker as an empty directory (see its provider). Keys
 * under a prefix a provider uses for its own temporaries are listed too, except the temporaries.
 *
 * <p>Every failure is a {@link StoreException} whose message names the action and the object's URI.
 * Implementations rely on their SDK's own retries for transient errors, configured by the spec's
 * {@link RequestSettings} (tries, back-off with jitter, slowing down on throttling, timeouts on
 * every try); they do not add a second retry loop, except that a ranged read whose stream breaks
 * mid-body is re-opened at the byte it reached, pinned to the same version, where the SDK does not
 * do that itself. A {@link StoreException.Kind#THROTTLED} or {@link StoreException.Kind#RETRYABLE}
 * failure has outlived those retries. Instances are thread-safe; they are built on a worker from a
 * serializable {@link StoreSpec} (in an operator's {@code open()}), never shipped.
 */
public interface ObjectStore extends Closeable {

  /** The URI of a key in this store, for messages and reports, e.g. {@code s3://bucket/a/b}. */
  String uri(String key);

  /**
   * Lists the objects whose keys start with {@code prefix} ("" for all), in ascending key order,
   * lazily: pages are fetched as the iterator advances. Objects created or deleted while listing may
   * or may not appear. Directory markers ({@code dir/}, 0 bytes) are listed like any object.
   *
   * @throws StoreException {@link StoreException.Kind#NOT_FOUND} when the bucket does not exist
   */
  ObjectListing list(String prefix) throws IOException;

  /** The object's metadata, or empty when there is no object with this key. */
  Optional<ObjectInfo> stat(String key) throws IOException;

  /**
   * Opens a stream over the bytes {@code [offset, offset + length)} of an object. The stream yields
   * exactly {@code length} bytes or fails; a range past the end of the object fails. A stream that
   * breaks mid-body (reset, stall longer than the idle timeout, premature end) is resumed at the
   * byte reached, a bounded number of times; an object replaced meanwhile fails the read with
   * {@link StoreException.Kind#FATAL} instead of mixing versions.
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

  /**
   * Writes a whole object from bytes that may still be arriving ({@link PartData}), atomically as
   * {@link #put(String, byte[], int, int, int)}: nothing is visible at the key unless all the bytes
   * arrived and match {@link PartData#crc32c()}. The default reads all the bytes into memory first
   * (a store must know the checksum before it makes the object visible); a store that can check the
   * bytes before it publishes them (local files: a temporary file renamed into place) streams them.
   */
  default ObjectInfo put(String key, PartData data, WriteOptions options) throws IOException {
    byte[] bytes = PartData.readAll(data, uri(key));
    return put(key, bytes, 0, bytes.length, data.crc32c());
  }

  /** Deletes an object. Deleting a missing object is not an error. */
  void delete(String key) throws IOException;

  /** Writes large objects in parts, from any number of workers. */
  MultipartWriter multipart();
}
