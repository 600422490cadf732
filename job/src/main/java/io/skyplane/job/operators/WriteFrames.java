package io.skyplane.job.operators;

import io.skyplane.store.Crc32c;
import io.skyplane.job.codec.FrameCodec;
import io.skyplane.job.model.ChunkResult;
import io.skyplane.job.model.Frame;
import io.skyplane.job.transfer.TransferSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * At the destination: decompresses each frame, checks its CRC32C against the one computed at the
 * source, and writes it at its offset into the object's temporary file. When a chunk's last frame
 * has arrived, the chunk is read back from the file and checked again, and one {@link ChunkResult}
 * goes to the committer. A damaged frame is never written: its chunk, and so its object, fail.
 *
 * <p>All frames of a chunk reach the same writer in order (the exchange partitions by chunk).
 */
public final class WriteFrames extends ProcessFunction<Frame, ChunkResult> {
  private static final long serialVersionUID = 1L;
  private static final int READ_BACK_BUFFER = 1 << 20;

  private final TransferSpec spec;
  private transient FrameCodec codec;
  private transient Map<String, OpenChunk> open;
  private transient Path lastDirectory;

  public WriteFrames(TransferSpec spec) {
    this.spec = spec;
  }

  @Override
  public void open(OpenContext openContext) {
    codec = new FrameCodec(spec.compression());
    open = new HashMap<>();
  }

  @Override
  public void processElement(Frame frame, Context context, Collector<ChunkResult> out) {
    OpenChunk chunk = open.computeIfAbsent(frame.chunkId(), id -> new OpenChunk(frame.readAtMillis()));
    chunk.wireBytes += frame.payload().length;
    chunk.crc = chunk.bytes == 0 ? frame.crc32c() : Crc32c.combine(chunk.crc, frame.crc32c(), frame.rawLength());
    chunk.bytes += frame.rawLength();
    if (chunk.error.isEmpty()) {
      try {
        write(chunk, frame);
      } catch (IOException | RuntimeException e) {
        chunk.error = describe(frame, e);
      }
    }
    if (frame.lastInChunk()) {
      open.remove(frame.chunkId());
      out.collect(finish(chunk, frame));
    }
  }

  private void write(OpenChunk chunk, Frame frame) throws IOException {
    byte[] raw = codec.decode(frame);
    int crc = Crc32c.of(raw, 0, raw.length);
    if (crc != frame.crc32c()) {
      throw new IOException(
          String.format(
              "checksum mismatch at offset %d: CRC32C %08x at the source, %08x after transfer",
              frame.frameOffset(), frame.crc32c(), crc));
    }
    if (TransferSpec.isMarker(frame.key(), frame.objectSize()) && !spec.singleObject()) {
      return; // a directory marker: the committer makes the directory
    }
    if (chunk.channel == null) {
      Path temporary = spec.temporaryOf(frame.key());
      Path parent = temporary.getParent();
      if (!parent.equals(lastDirectory)) {
        Files.createDirectories(parent);
        lastDirectory = parent;
      }
      chunk.file = temporary;
      chunk.channel = FileChannel.open(
          temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    }
    ByteBuffer buffer = ByteBuffer.wrap(raw);
    while (buffer.hasRemaining()) {
      chunk.channel.write(buffer, frame.frameOffset() + buffer.position());
    }
  }

  private ChunkResult finish(OpenChunk chunk, Frame last) {
    try (FileChannel channel = chunk.channel) {
      if (chunk.error.isEmpty() && chunk.bytes != last.chunkLength()) {
        chunk.error = "chunk " + last.chunkIndex() + " of " + last.key() + " has " + chunk.bytes
            + " bytes, expected " + last.chunkLength();
      }
      if (chunk.error.isEmpty()) {
        int readBack = readBack(channel, chunk.file, last.chunkOffset(), last.chunkLength());
        if (readBack != chunk.crc) {
          chunk.error = String.format(
              "chunk %d of %s reads back as CRC32C %08x, expected %08x",
              last.chunkIndex(), last.key(), readBack, chunk.crc);
        }
      }
    } catch (IOException e) {
      chunk.error = describe(last, e);
    }
    return new ChunkResult(
        last.key(), last.objectSize(), last.objectMtime(), last.chunkIndex(), last.chunkCount(),
        last.chunkLength(), chunk.crc, chunk.wireBytes, chunk.error, chunk.readAtMillis,
        System.currentTimeMillis(), "", 0, "");
  }

  /** Reads the chunk back from the file (page cache or disk) and returns its CRC32C. */
  private static int readBack(FileChannel channel, Path file, long offset, long length)
      throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(READ_BACK_BUFFER, Math.max(length, 1)));
    long position = offset;
    long end = offset + length;
    while (position < end) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw new IOException(file + " is shorter than expected: ends at " + position);
      }
      buffer.flip();
      crc.update(buffer);
      position += n;
    }
    return (int) crc.getValue();
  }

  private static String describe(Frame frame, Exception e) {
    return "chunk " + frame.chunkIndex() + " of " + frame.key() + ": " + e.getMessage();
  }

  @Override
  public void close() throws IOException {
    if (codec != null) {
      codec.close();
    }
    if (open != null) {
      for (OpenChunk chunk : open.values()) {
        if (chunk.channel != null) {
          chunk.channel.close();
        }
      }
      open.clear();
    }
  }

  private static final class OpenChunk {
    final long readAtMillis;
    FileChannel channel;
    Path file;
    long bytes;
    long wireBytes;
    int crc;
    String error = "";

    OpenChunk(long readAtMillis) {
      this.readAtMillis = readAtMillis;
    }
  }
}
