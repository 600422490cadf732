package io.skyplane.job.source;

import io.skyplane.store.Crc32c;
import io.skyplane.job.model.Codec;
import io.skyplane.job.model.Frame;
import io.skyplane.job.transfer.TransferSpec;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import javax.annotation.Nullable;
import org.apache.flink.connector.file.src.FileSourceSplit;

/**
 * Reads one chunk split (a byte range of one file) as frames, computing each frame's CRC32C as it
 * is read. A source file whose size or modification time changed since it was listed fails the
 * read: a transfer never mixes two versions of an object. An empty chunk yields one empty frame.
 */
final class ChunkRangeReader implements Closeable {
  private final TransferSpec spec;
  private final FileSourceSplit split;
  private final String key;
  private final FileChannel channel;
  private final int chunkIndex;
  private final int chunkCount;
  private final long end;
  private long position;
  private boolean done;

  ChunkRangeReader(TransferSpec spec, FileSourceSplit split, long framesToSkip) throws IOException {
    this.spec = spec;
    this.split = split;
    Path file = Path.of(split.path().toUri());
    this.key = spec.keyOf(file);
    BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
    if (now.size() != split.fileSize()
        || now.lastModifiedTime().toMillis() != split.fileModificationTime()) {
      throw new IOException("source changed during the transfer: " + file + " (size "
          + split.fileSize() + " -> " + now.size() + ")");
    }
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.chunkIndex = (int) (split.offset() / spec.chunkSize());
    this.chunkCount = spec.chunkCount(split.fileSize());
    this.end = split.offset() + split.length();
    this.position = split.offset() + framesToSkip * spec.frameSize();
    this.done = framesToSkip > 0 && position >= end;
  }

  /** The next frame, or null when the chunk has been read. */
  @Nullable
  Frame next() throws IOException {
    if (done) {
      return null;
    }
    int length = (int) Math.min(spec.frameSize(), end - position);
    byte[] bytes = new byte[length];
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        throw new EOFException(
            "unexpected end of " + split.path() + " at " + (position + buffer.position()));
      }
    }
    boolean last = position + length >= end;
    Frame frame = new Frame(key, split.fileSize(), split.fileModificationTime(), chunkIndex,
        chunkCount, split.offset(), split.length(), position, length, last, Codec.NONE, bytes,
        Crc32c.of(bytes, 0, length), System.currentTimeMillis());
    position += length;
    done = last;
    return frame;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
