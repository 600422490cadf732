package io.skyplane.job.source;

import io.skyplane.job.model.Codec;
import io.skyplane.job.model.Frame;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.store.Crc32c;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.VersionedRead;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import javax.annotation.Nullable;

/**
 * Reads one chunk split (a byte range of one object) as frames, computing each frame's CRC32C as it
 * is read. Local files are read with positional reads; store objects with one ranged read per
 * chunk, pinned to the listed version ({@link VersionedRead}). A source that changed since it was
 * listed fails the read: a transfer never mixes two versions of an object. An empty chunk yields
 * one empty frame.
 */
final class ChunkRangeReader implements Closeable {
  private final TransferSpec spec;
  private final ChunkSplit split;
  @Nullable private final FileChannel channel;
  @Nullable private final Path file;
  @Nullable private final InputStream stream;
  private final int chunkIndex;
  private final int chunkCount;
  private final long end;
  private long position;
  private boolean done;

  /**
   * @param store the source store, or null for local files
   */
  ChunkRangeReader(TransferSpec spec, ChunkSplit split, long framesToSkip, @Nullable ObjectStore store)
      throws IOException {
    this.spec = spec;
    this.split = split;
    this.chunkIndex = (int) (split.offset() / spec.chunkSize());
    this.chunkCount = spec.chunkCount(split.fileSize());
    this.end = split.offset() + split.length();
    this.position = split.offset() + framesToSkip * spec.frameSize();
    this.done = framesToSkip > 0 && position >= end;
    if (store == null) {
      Path file = Path.of(split.path().toUri());
      if (end - position > spec.frameSize()) {
        // a chunk of several frames fails early; one of a single frame is checked after its read
        // (below), which covers a change before it too: one file-system call less per small file
        checkUnchanged(file);
      }
      this.channel = FileChannel.open(file, StandardOpenOption.READ);
      this.file = file;
      this.stream = null;
    } else {
      String key = spec.sourceKey(split.key());
      long length = Math.max(0, end - position);
      this.stream = store instanceof VersionedRead versioned
          ? versioned.read(key, position, length, split.version())
          : store.read(key, position, length);
      this.channel = null;
      this.file = null;
    }
  }

  /** The next frame, or null when the chunk has been read. */
  @Nullable
  Frame next() throws IOException {
    if (done) {
      return null;
    }
    int length = (int) Math.min(spec.frameSize(), end - position);
    byte[] bytes = new byte[length];
    if (channel != null) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, position + buffer.position());
        if (n < 0) {
          checkUnchanged(file); // a file cut short since it was listed fails as changed
          throw new EOFException(
              "unexpected end of " + split.path() + " at " + (position + buffer.position()));
        }
      }
    } else {
      int n = stream.readNBytes(bytes, 0, length);
      if (n < length) {
        throw new EOFException("unexpected end of " + split.key() + " at " + (position + n));
      }
    }
    boolean last = position + length >= end;
    if (last && file != null) {
      checkUnchanged(file); // the chunk's bytes are all of one version of the file
    }
    Frame frame = new Frame(split.key(), split.fileSize(), split.fileModificationTime(), chunkIndex,
        chunkCount, split.offset(), split.length(), position, length, last, Codec.NONE, bytes,
        Crc32c.of(bytes, 0, length), System.currentTimeMillis(), split.uploadId(),
        split.uploadStartedMillis(), split.pathIndex());
    position += length;
    done = last;
    return frame;
  }

  /** A failed frame for this chunk at the position reached: the chunk's last frame. */
  Frame failed(String reason) {
    return failed(spec, split, position, reason);
  }

  /** A failed frame for {@code split} at {@code position}: the chunk's last frame. */
  static Frame failed(TransferSpec spec, ChunkSplit split, long position, String reason) {
    return new Frame(split.key(), split.fileSize(), split.fileModificationTime(),
        (int) (split.offset() / spec.chunkSize()), spec.chunkCount(split.fileSize()), split.offset(),
        split.length(), position, 0, true, Codec.FAILED, reason.getBytes(StandardCharsets.UTF_8), 0,
        System.currentTimeMillis(), split.uploadId(), split.uploadStartedMillis(), split.pathIndex());
  }

  private void checkUnchanged(Path local) throws IOException {
    BasicFileAttributes now = Files.readAttributes(local, BasicFileAttributes.class);
    if (now.size() != split.fileSize() || now.lastModifiedTime().toMillis() != split.fileModificationTime()) {
      throw new IOException("source changed during the transfer: " + local + " (size " + split.fileSize()
          + " -> " + now.size() + ", modified " + split.fileModificationTime() + " -> "
          + now.lastModifiedTime().toMillis() + ")");
    }
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
    if (stream != null) {
      stream.close();
    }
  }
}
