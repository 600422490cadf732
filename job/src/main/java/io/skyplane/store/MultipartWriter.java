package io.skyplane.store;

import java.io.IOException;
import java.util.List;

/**
 * Writes one object as numbered parts that any worker may upload, then makes it visible at once.
 * Nothing is visible at the key before {@link #complete}; after {@link #abort} nothing of the upload
 * is left in the store (no orphaned multipart upload, no temporary part object).
 *
 * <p>The intended use: one process {@link #create creates} the upload; workers {@link #upload upload}
 * parts 1..n (each but the last at least {@link #minPartSize()} bytes) and send their
 * {@link PartReceipt}s to one committer, which {@link #complete completes} the upload exactly once;
 * any failure aborts it.
 */
public interface MultipartWriter {

  /** Starts an upload for {@code key}. */
  MultipartUpload create(String key) throws IOException;

  /**
   * Uploads part {@code partNumber} (1-based) holding the object's bytes at {@code objectOffset}.
   * Uploading the same part number again replaces it. The store verifies the bytes against
   * {@code crc32c} where it can.
   */
  PartReceipt upload(
      MultipartUpload upload, int partNumber, long objectOffset, byte[] data, int offset, int length,
      int crc32c) throws IOException;

  /**
   * Makes the object visible from the parts, in part-number order. Idempotent: when an earlier call
   * committed the object but its answer was lost, a retry finds the object (by stat, with the
   * expected size) and returns it instead of failing.
   */
  ObjectInfo complete(MultipartUpload upload, List<PartReceipt> parts) throws IOException;

  /** Discards the upload and every part of it. Aborting a finished or unknown upload is not an error. */
  void abort(MultipartUpload upload) throws IOException;

  /** Unfinished uploads whose keys start with {@code prefix}, to clean up after a crash. */
  List<MultipartUpload> pending(String prefix) throws IOException;

  /** The smallest size of a part other than the last. */
  long minPartSize();

  /** The largest number of parts of one object. */
  int maxParts();
}
