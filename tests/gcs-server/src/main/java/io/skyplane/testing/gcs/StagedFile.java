package io.skyplane.testing.gcs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * A temp file being written, with running size, MD5 and CRC32C. Content only ever streams through
 * a fixed buffer; it is never held whole in memory. Not thread-safe: one writer at a time.
 */
final class StagedFile implements AutoCloseable {
  private static final int BUFFER = 1 << 20;

  private final Path file;
  private final OutputStream out;
  private final MessageDigest md5;
  private final CRC32C crc = new CRC32C();
  private long size;
  private boolean finished;

  StagedFile(Path tmpDir) throws IOException {
    this.file = Files.createTempFile(tmpDir, "upload-", ".part");
    this.out = Files.newOutputStream(file);
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Appends at most {@code limit} bytes (or all, if negative); returns the count appended. */
  long append(InputStream in, long limit) throws IOException {
    byte[] buf = new byte[(int) Math.min(BUFFER, limit < 0 ? BUFFER : Math.max(limit, 1))];
    long total = 0;
    while (limit < 0 || total < limit) {
      int want = limit < 0 ? buf.length : (int) Math.min(buf.length, limit - total);
      // Fill the whole buffer first: the JDK server hands out 8 KiB reads, and one write per
      // read would cost a syscall per 8 KiB.
      int n = in.readNBytes(buf, 0, want);
      if (n <= 0) {
        break;
      }
      out.write(buf, 0, n);
      md5.update(buf, 0, n);
      crc.update(buf, 0, n);
      total += n;
    }
    size += total;
    return total;
  }

  long size() {
    return size;
  }

  Path file() {
    return file;
  }

  /** The content's hashes as the JSON API writes them: base64 MD5, base64 big-endian CRC32C. */
  record Hashes(String md5, String crc32c) {}

  /** Closes the file and returns the content's hashes. */
  Hashes finish() throws IOException {
    out.close();
    finished = true;
    byte[] crcBytes = ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
    return new Hashes(Base64.getEncoder().encodeToString(md5.digest()),
        Base64.getEncoder().encodeToString(crcBytes));
  }

  /** Removes the temp file unless it was moved away. */
  @Override
  public void close() throws IOException {
    if (!finished) {
      out.close();
    }
    Files.deleteIfExists(file);
  }
}
