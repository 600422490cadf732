package io.skyplane.store;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * Proof that a part was stored, sent by the worker that uploaded it to the committer.
 *
 * @param partNumber 1-based part number
 * @param length bytes in the part
 * @param crc32c CRC32C of the part's bytes
 * @param token what the store needs to complete the upload with this part (S3: the ETag; Azure:
 *     the block id; GCS: the temporary object's generation)
 */
public record PartReceipt(int partNumber, long length, int crc32c, String token) implements Serializable {
  public PartReceipt {
    requireNonNull(token, "token is null");
    if (partNumber < 1) {
      throw new IllegalArgumentException("part numbers start at 1, got " + partNumber);
    }
  }
}
