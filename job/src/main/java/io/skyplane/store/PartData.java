package io.skyplane.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The bytes of one part of a multipart upload, whose length is known up front but which may still
 * be arriving when the upload starts (a part is written as its frames arrive, in order).
 *
 * <p>A stream from {@link #open()} yields exactly {@link #length()} bytes: it blocks until the next
 * bytes have arrived, and fails with an {@link IOException} when the part is abandoned (a damaged
 * or missing frame: such bytes never reach a store). The data can be opened again, from its first
 * byte, for as long as the upload runs: a store's retry of a failed request re-sends the part from
 * the start. {@link #crc32c()} is the CRC32C of all the bytes, known once they all arrived; a store
 * checks what it received against it (by its own checksum where the protocol has one, else by the
 * CRC32C of the bytes it sent) before it hands out a receipt, so a part that does not hold exactly
 * the source's bytes is never completed.
 */
public interface PartData {

  /** The number of bytes of the part. */
  long length();

  /** A new stream over the part's bytes from the first, blocking while bytes are still arriving. */
  InputStream open() throws IOException;

  /**
   * The CRC32C of all the part's bytes; blocks until they all arrived.
   *
   * @throws IOException when the part was abandoned before all its bytes arrived
   */
  int crc32c() throws IOException;

  /** Bytes that are all there, with their CRC32C. */
  static PartData of(byte[] data, int offset, int length, int crc32c) {
    Objects.checkFromIndexSize(offset, length, data.length);
    return new PartData() {
      @Override
      public long length() {
        return length;
      }

      @Override
      public InputStream open() {
        return new ByteArrayInputStream(data, offset, length);
      }

      @Override
      public int crc32c() {
        return crc32c;
      }
    };
  }

  /**
   * Reads all the part's bytes into one array and checks them against {@link #crc32c()}: the
   * fallback of a store that cannot stream a part.
   */
  static byte[] readAll(PartData data, String uri) throws IOException {
    if (data.length() > Integer.MAX_VALUE - 16) {
      throw new StoreException(StoreException.Kind.FATAL, "upload to " + uri + ": a part of "
          + data.length() + " bytes cannot be held in memory");
    }
    byte[] bytes;
    try (InputStream in = data.open()) {
      bytes = in.readNBytes((int) data.length());
      if (bytes.length != data.length() || in.read() >= 0) {
        throw new StoreException(StoreException.Kind.FATAL, "upload to " + uri + ": the part yielded "
            + bytes.length + " bytes, expected " + data.length());
      }
    }
    int crc = Crc32c.of(bytes, 0, bytes.length);
    if (crc != data.crc32c()) {
      throw new StoreException(StoreException.Kind.FATAL, String.format(
          "upload to %s: the part's bytes have CRC32C %08x, expected %08x", uri, crc, data.crc32c()));
    }
    return bytes;
  }
}
