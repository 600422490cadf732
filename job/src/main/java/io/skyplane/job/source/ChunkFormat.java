package io.skyplane.job.source;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.codec.Crc32c;
import io.skyplane.job.model.Codec;
import io.skyplane.job.model.Frame;
import io.skyplane.job.transfer.TransferSpec;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import javax.annotation.Nullable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.SingletonResultIterator;

/**
 * Reads one chunk split (a byte range of one file) as frames, computing each frame's CRC32C as it
 * is read. A source file whose size or modification time changed since it was listed fails the
 * read: a transfer never mixes two versions of an object.
 */
final class ChunkFormat implements BulkFormat<Frame, FileSourceSplit> {
  private static final long serialVersionUID = 1L;

  private final TransferSpec spec;

  ChunkFormat(TransferSpec spec) {
    this.spec = requireNonNull(spec, "spec is null");
  }

  @Override
  public Reader<Frame> createReader(Configuration config, FileSourceSplit split) throws IOException {
    return new ChunkReader(spec, split, 0);
  }

  @Override
  public Reader<Frame> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
    long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
    return new ChunkReader(spec, split, skip);
  }

  @Override
  public boolean isSplittable() {
    return true;
  }

  @Override
  public TypeInformation<Frame> getProducedType() {
    return TypeInformation.of(Frame.class);
  }

  private static final class ChunkReader implements BulkFormat.Reader<Frame> {
    private final TransferSpec spec;
    private final FileSourceSplit split;
    private final String key;
    private final FileChannel channel;
    private final int chunkIndex;
    private final int chunkCount;
    private long position;
    private long emitted;
    private boolean done;

    ChunkReader(TransferSpec spec, FileSourceSplit split, long framesToSkip) throws IOException {
      this.spec = spec;
      this.split = split;
      Path file = Path.of(split.path().toUri());
      this.key = spec.keyOf(file);
      BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
      if (now.size() != split.fileSize()
          || now.lastModifiedTime().toMillis() != split.fileModificationTime()) {
        throw new IOException(
            "source changed during the transfer: " + file + " (size " + split.fileSize() + " -> "
                + now.size() + ")");
      }
      this.channel = FileChannel.open(file, StandardOpenOption.READ);
      this.chunkIndex = (int) (split.offset() / spec.chunkSize());
      this.chunkCount = spec.chunkCount(split.fileSize());
      this.position = split.offset() + framesToSkip * spec.frameSize();
      this.emitted = framesToSkip;
    }

    @Nullable
    @Override
    public RecordIterator<Frame> readBatch() throws IOException {
      long end = split.offset() + split.length();
      if (done || (position >= end && (emitted > 0 || split.length() > 0))) {
        return null;
      }
      int length = (int) Math.min(spec.frameSize(), end - position);
      byte[] bytes = new byte[length];
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, position + buffer.position());
        if (n < 0) {
          throw new EOFException("unexpected end of " + split.path() + " at " + (position + buffer.position()));
        }
      }
      boolean last = position + length >= end;
      Frame frame =
          new Frame(
              key, split.fileSize(), split.fileModificationTime(), chunkIndex, chunkCount,
              split.offset(), split.length(), position, length, last, Codec.NONE, bytes,
              Crc32c.of(bytes, 0, length), System.currentTimeMillis());
      position += length;
      emitted++;
      done = last;
      SingletonResultIterator<Frame> iterator = new SingletonResultIterator<>();
      iterator.set(frame, CheckpointedPosition.NO_OFFSET, emitted);
      return iterator;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
