package io.skyplane.job.model;

import static java.util.Objects.requireNonNull;

/**
 * What the destination writer reports for one chunk: written and verified, or failed.
 *
 * @param key object key
 * @param objectSize size of the whole object
 * @param objectMtime source modification time (epoch millis)
 * @param chunkIndex index of the chunk
 * @param chunkCount number of chunks of the object
 * @param chunkLength length of the chunk in bytes
 * @param crc32c CRC32C of the chunk's bytes as read at the source (combined from its frames)
 * @param wireBytes bytes of the chunk as sent over the network (after compression)
 * @param error why the chunk failed, or empty when it was written
 * @param readAtMillis time the chunk's first frame was read at the source
 * @param writtenAtMillis time the chunk's last byte was written at the destination
 * @param uploadId the multipart upload the chunk was uploaded to as a part, or "" (local files, or an
 *     object written in one request by the writer)
 * @param uploadStartedMillis when that upload was started (epoch millis), or 0
 * @param partToken what completing the upload needs for this part (see {@link
 *     io.skyplane.store.PartReceipt#token()}), or ""
 */
public record ChunkResult(
    String key,
    long objectSize,
    long objectMtime,
    int chunkIndex,
    int chunkCount,
    long chunkLength,
    int crc32c,
    long wireBytes,
    String error,
    long readAtMillis,
    long writtenAtMillis,
    String uploadId,
    long uploadStartedMillis,
    String partToken) {

  public ChunkResult {
    requireNonNull(key, "key is null");
    requireNonNull(error, "error is null");
    requireNonNull(uploadId, "uploadId is null");
    requireNonNull(partToken, "partToken is null");
  }

  public boolean ok() {
    return error.isEmpty();
  }
}
