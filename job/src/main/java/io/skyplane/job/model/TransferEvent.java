package io.skyplane.job.model;

import static java.util.Objects.requireNonNull;

/**
 * What the job tells its client: a chunk arrived (for progress), an object was committed, or an
 * object failed and was not written.
 *
 * @param kind what happened
 * @param includesChunk for a committed or failed single-chunk object: the event also stands for
 *     its only chunk (no separate CHUNK event is sent, halving the events for small files)
 * @param key object key
 * @param bytes raw bytes (of the chunk, or of the object)
 * @param wireBytes bytes on the wire after compression (of the chunk, or of the object)
 * @param crc32c CRC32C of the object, verified on the destination (for {@link Kind#COMMITTED})
 * @param message error text for {@link Kind#FAILED}, else empty
 * @param readAtMillis when the chunk (or the object's first chunk) was read at the source
 * @param writtenAtMillis when the chunk was written (or the object committed)
 */
public record TransferEvent(
    Kind kind,
    boolean includesChunk,
    String key,
    long bytes,
    long wireBytes,
    int crc32c,
    String message,
    long readAtMillis,
    long writtenAtMillis) {

  public enum Kind {
    CHUNK,
    COMMITTED,
    FAILED
  }

  public TransferEvent {
    requireNonNull(kind, "kind is null");
    requireNonNull(key, "key is null");
    requireNonNull(message, "message is null");
  }
}
