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
   * Starts an upload for {@code key} on behalf of {@code tag} (lower-case letters and digits, at
   * most 16, or ""): a store that keeps temporary objects for an upload names them
   * {@code .skyplane-tmp/<tag>-...} at the root of the store, so that the tag's owner finds them by
   * that prefix (GCS part objects). Other stores ignore the tag.
   */
  default MultipartUpload create(String key, String tag) throws IOException {
    checkTag(tag);
    return create(key);
  }

  /** Refuses a tag that {@link #create(String, String)} does not take. */
  static void checkTag(String tag) {
    if (tag.length() > 16 || !tag.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      throw new IllegalArgumentException("an upload tag is up to 16 lower-case letters and digits, got '" + tag + "'");
    }
  }

  /**
   * Uploads part {@code partNumber} (1-based) holding the object's bytes at {@code objectOffset}.
   * Uploading the same part number again replaces it. The store verifies the bytes against
   * {@code crc32c} where it can.
   */
  PartReceipt upload(
      MultipartUpload upload, int partNumber, long objectOffset, byte[] data, int offset, int length,
      int crc32c) throws IOException;

  /**
   * Uploads part {@code partNumber} (1-based) at {@code objectOffset} from bytes that may still be
   * arriving ({@link PartData}): a store that can stream a request body starts sending at once and
   * re-opens the data for a retry; before it returns a receipt it checks the bytes it sent against
   * {@link PartData#crc32c()} (by the store's own checksum where the protocol has one), and fails
   * with {@link StoreException.Kind#FATAL} on a mismatch, so such a part is never completed. The
   * default reads the whole part into memory and calls {@link #upload(MultipartUpload, int, long,
   * byte[], int, int, int)}.
   */
  default PartReceipt upload(MultipartUpload upload, int partNumber, long objectOffset, PartData data)
      throws IOException {
    byte[] bytes = PartData.readAll(data, upload.key());
    return upload(upload, partNumber, objectOffset, bytes, 0, bytes.length, data.crc32c());
  }

  /**
   * Makes the object visible from the parts, in part-number order. Idempotent: when an earlier call
   * committed the object but its answer was lost, a retry finds the object (by stat, with the
   * expected size) and returns it instead of failing.
   */
  ObjectInfo complete(MultipartUpload upload, List<PartReceipt> parts) throws IOException;

  /**
   * As {@link #complete(MultipartUpload, List)}; a store that keeps modification times (local
   * files) gives the object {@code modifiedMillis} (when &gt; 0) before it becomes visible.
   */
  default ObjectInfo complete(MultipartUpload upload, List<PartReceipt> parts, long modifiedMillis)
      throws IOException {
    return complete(upload, parts);
  }

  /** Discards the upload and every part of it. Aborting a finished or unknown upload is not an error. */
  void abort(MultipartUpload upload) throws IOException;

  /** Unfinished uploads whose keys start with {@code prefix}, to clean up after a crash. */
  List<MultipartUpload> pending(String prefix) throws IOException;

  /**
   * Whether this store may open a {@link PartData} more than once (to retry a request), in
   * {@link #upload(MultipartUpload, int, long, PartData)} or {@link ObjectStore#put(String, PartData,
   * WriteOptions)}. When false, it reads each part once, in order, and the caller may drop bytes as
   * soon as they were read.
   */
  default boolean rereadsParts() {
    return true;
  }

  /** The smallest size of a part other than the last. */
  long minPartSize();

  /** The largest number of parts of one object. */
  int maxParts();
}
