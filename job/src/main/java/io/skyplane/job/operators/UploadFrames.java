package io.skyplane.job.operators;

import io.skyplane.job.codec.FrameCodec;
import io.skyplane.job.model.ChunkResult;
import io.skyplane.job.model.Frame;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.store.Crc32c;
import io.skyplane.store.MultipartUpload;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.PartReceipt;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * At a store destination: decompresses each frame, checks its CRC32C against the source's, and
 * places it in the chunk's buffer. When a chunk is complete its bytes are checked again as a whole,
 * then uploaded: as part {@code index + 1} of the object's multipart upload (started by the
 * enumerator; any writer may upload any part), or, for an object of one chunk, as the whole object
 * in one atomic request. The store verifies what it received against the CRC32C we send (S3, GCS).
 * A damaged frame is never uploaded: its chunk, and so its object, fail, and the committer aborts
 * the upload.
 *
 * <p>Memory: one buffer per chunk in flight at this writer (each source reader sends one chunk at
 * a time, so about {@code parallelism x chunk size} per job).
 */
public final class UploadFrames extends ProcessFunction<Frame, ChunkResult> {
  private static final long serialVersionUID = 1L;

  private final TransferSpec spec;
  private transient FrameCodec codec;
  private transient ObjectStore store;
  private transient Map<String, OpenChunk> open;

  public UploadFrames(TransferSpec spec) {
    this.spec = spec;
  }

  @Override
  public void open(OpenContext openContext) throws IOException {
    codec = new FrameCodec(spec.compression());
    store = ObjectStores.open(spec.destination().store());
    open = new HashMap<>();
  }

  @Override
  public void processElement(Frame frame, Context context, Collector<ChunkResult> out) {
    OpenChunk chunk = open.computeIfAbsent(frame.chunkId(), id -> new OpenChunk(frame));
    chunk.wireBytes += frame.payload().length;
    chunk.crc = chunk.bytes == 0 ? frame.crc32c() : Crc32c.combine(chunk.crc, frame.crc32c(), frame.rawLength());
    chunk.bytes += frame.rawLength();
    if (chunk.error.isEmpty()) {
      try {
        place(chunk, frame);
      } catch (IOException | RuntimeException e) {
        chunk.error = describe(frame, e);
        chunk.buffer = null;
      }
    }
    if (frame.lastInChunk()) {
      open.remove(frame.chunkId());
      out.collect(finish(chunk, frame));
    }
  }

  private void place(OpenChunk chunk, Frame frame) throws IOException {
    byte[] raw = codec.decode(frame);
    int crc = Crc32c.of(raw, 0, raw.length);
    if (crc != frame.crc32c()) {
      throw new IOException(String.format(
          "checksum mismatch at offset %d: CRC32C %08x at the source, %08x after transfer",
          frame.frameOffset(), frame.crc32c(), crc));
    }
    long at = frame.frameOffset() - frame.chunkOffset();
    if (at < 0 || at + raw.length > chunk.buffer.length) {
      throw new IOException("frame at " + frame.frameOffset() + " lies outside its chunk");
    }
    System.arraycopy(raw, 0, chunk.buffer, (int) at, raw.length);
  }

  private ChunkResult finish(OpenChunk chunk, Frame last) {
    String token = "";
    if (chunk.error.isEmpty() && chunk.bytes != last.chunkLength()) {
      chunk.error = "chunk " + last.chunkIndex() + " of " + last.key() + " has " + chunk.bytes
          + " bytes, expected " + last.chunkLength();
    }
    if (chunk.error.isEmpty()) {
      int whole = Crc32c.of(chunk.buffer, 0, chunk.buffer.length);
      if (whole != chunk.crc) {
        chunk.error = String.format("chunk %d of %s assembles to CRC32C %08x, expected %08x",
            last.chunkIndex(), last.key(), whole, chunk.crc);
      }
    }
    if (chunk.error.isEmpty()) {
      String key = spec.destinationKey(last.key());
      try {
        if (last.uploadId().isEmpty()) {
          ObjectInfo written = store.put(key, chunk.buffer, 0, chunk.buffer.length, chunk.crc);
          if (written.size() != last.objectSize()) {
            chunk.error = "wrote " + written.size() + " bytes to " + store.uri(key) + ", expected "
                + last.objectSize();
          }
        } else {
          PartReceipt receipt = store.multipart().upload(
              new MultipartUpload(key, last.uploadId(), 0), last.chunkIndex() + 1, last.chunkOffset(),
              chunk.buffer, 0, chunk.buffer.length, chunk.crc);
          token = receipt.token();
        }
      } catch (IOException | RuntimeException e) {
        chunk.error = describe(last, e);
      }
    }
    chunk.buffer = null;
    return new ChunkResult(
        last.key(), last.objectSize(), last.objectMtime(), last.chunkIndex(), last.chunkCount(),
        last.chunkLength(), chunk.crc, chunk.wireBytes, chunk.error, chunk.readAtMillis,
        System.currentTimeMillis(), last.uploadId(), token);
  }

  private static String describe(Frame frame, Exception e) {
    return "chunk " + frame.chunkIndex() + " of " + frame.key() + ": " + e.getMessage();
  }

  @Override
  public void close() throws IOException {
    try {
      if (codec != null) {
        codec.close();
      }
    } finally {
      if (open != null) {
        open.clear();
      }
      if (store != null) {
        store.close();
      }
    }
  }

  private static final class OpenChunk {
    final long readAtMillis;
    byte[] buffer;
    long bytes;
    long wireBytes;
    int crc;
    String error = "";

    OpenChunk(Frame first) {
      this.readAtMillis = first.readAtMillis();
      this.buffer = new byte[(int) first.chunkLength()];
    }
  }
}
