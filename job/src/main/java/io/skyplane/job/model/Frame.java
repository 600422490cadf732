package io.skyplane.job.model;

import static java.util.Objects.requireNonNull;

/**
 * A slice of one chunk on its way from source to destination: the unit of compression, checksum and
 * network transfer. A chunk (the unit of parallel range reads, default 64 MiB) is sent as frames of
 * at most a few MiB, so that no record crosses Flink's 5 MiB spill-to-disk threshold for records
 * spanning network buffers.
 *
 * @param key object key relative to the transfer's source root, '/'-separated
 * @param objectSize size of the whole source object in bytes
 * @param objectMtime source modification time (epoch millis)
 * @param chunkIndex index of the chunk in the object
 * @param chunkCount number of chunks of the object (1 for an empty object)
 * @param chunkOffset offset of the chunk in the object
 * @param chunkLength length of the chunk
 * @param frameOffset offset of this frame in the object
 * @param rawLength length of the frame's bytes before compression
 * @param lastInChunk whether this is the chunk's last frame
 * @param codec how {@code payload} is encoded
 * @param payload the frame's bytes, encoded by {@code codec}
 * @param crc32c CRC32C of the raw (uncompressed) bytes, computed when they were read
 * @param readAtMillis wall-clock time the frame was read at the source
 * @param uploadId the destination's multipart upload the chunk is a part of, or "" when the object
 *     is written in one request (or to local files)
 * @param uploadStartedMillis when that upload was started (epoch millis), or 0
 * @param path index of the plan path the chunk travels (0 without a plan)
 */
public record Frame(
    String key,
    long objectSize,
    long objectMtime,
    int chunkIndex,
    int chunkCount,
    long chunkOffset,
    long chunkLength,
    long frameOffset,
    int rawLength,
    boolean lastInChunk,
    Codec codec,
    byte[] payload,
    int crc32c,
    long readAtMillis,
    String uploadId,
    long uploadStartedMillis,
    int path) {

  public Frame {
    requireNonNull(key, "key is null");
    requireNonNull(codec, "codec is null");
    requireNonNull(payload, "payload is null");
    requireNonNull(uploadId, "uploadId is null");
  }

  /** Identifies the chunk this frame belongs to; frames of one chunk travel the same channel in order. */
  public String chunkId() {
    return chunkIndex + "@" + key;
  }

  /** Whether this frame reports that its chunk could not be read ({@link Codec#FAILED}). */
  public boolean failed() {
    return codec == Codec.FAILED;
  }

  /** Why the chunk could not be read, for a {@link #failed()} frame. */
  public String failure() {
    return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
  }

  public Frame withPayload(Codec newCodec, byte[] newPayload) {
    return new Frame(
        key, objectSize, objectMtime, chunkIndex, chunkCount, chunkOffset, chunkLength,
        frameOffset, rawLength, lastInChunk, newCodec, newPayload, crc32c, readAtMillis, uploadId,
        uploadStartedMillis, path);
  }
}
