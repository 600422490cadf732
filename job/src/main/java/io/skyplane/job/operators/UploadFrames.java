package io.skyplane.job.operators;

import io.skyplane.job.codec.FrameCodec;
import io.skyplane.job.model.ChunkResult;
import io.skyplane.job.model.Frame;
import io.skyplane.job.report.StoreRetries;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.store.Crc32c;
import io.skyplane.store.MultipartUpload;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.PartReceipt;
import io.skyplane.store.StoreException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * At a store destination: decompresses each frame, checks its CRC32C against the source's, and
 * places it in the chunk's buffer. When a chunk is complete its bytes are checked again as a whole,
 * then uploaded: as part {@code index + 1} of the object's multipart upload (started by the
 * enumerator; any writer may upload any part), or, for an object of one chunk, as the whole object
 * in one atomic request. The store verifies what it received against the CRC32C we send (S3, GCS).
 * A damaged frame is never uploaded: its chunk, and so its object, fail, and the committer aborts
 * the upload.
 *
 * <p>Uploads run on {@link #UPLOADS_IN_FLIGHT} threads per writer, so the writer keeps receiving
 * and decompressing the next chunk while the last one is on its way; results are emitted from the
 * task thread as uploads finish, and all of them before the input ends (or a checkpoint barrier
 * passes). Memory: one buffer per chunk being received (each source reader sends one chunk at a
 * time) plus one per upload in flight, about {@code parallelism x (1 + UPLOADS_IN_FLIGHT) x chunk
 * size} per job at most.
 */
public final class UploadFrames extends AbstractStreamOperator<ChunkResult>
    implements OneInputStreamOperator<Frame, ChunkResult>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  static final int UPLOADS_IN_FLIGHT = 2;
  /** Chunks in a row whose upload fails for a store-wide reason before the store counts as unusable. */
  static final int UNUSABLE_AFTER = 10;
  private static final long UPLOAD_STOP_SECONDS = 10;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UploadFrames.class);

  private final TransferSpec spec;
  private transient FrameCodec codec;
  private transient ObjectStore store;
  private transient Map<String, OpenChunk> open;
  private transient ExecutorService uploads;
  private transient ArrayDeque<Future<ChunkResult>> inFlight;
  private transient MailboxExecutor mailbox;
  /** Chunks whose upload failed for a reason of the store (not of the object), until emitted. */
  private transient Map<String, Boolean> storeWide;
  private transient int failuresInARow;

  public UploadFrames(TransferSpec spec) {
    this.spec = spec;
  }

  @Override
  public void open() throws Exception {
    super.open();
    codec = new FrameCodec(spec.compression());
    store = ObjectStores.open(spec.destination().store());
    open = new HashMap<>();
    inFlight = new ArrayDeque<>();
    storeWide = new java.util.concurrent.ConcurrentHashMap<>();
    mailbox = getContainingTask().getMailboxExecutorFactory().createExecutor(getOperatorConfig().getChainIndex());
    String name = "skyplane-upload-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + "-";
    AtomicInteger threads = new AtomicInteger();
    ClassLoader userCode = getRuntimeContext().getUserCodeClassLoader();
    uploads = Executors.newFixedThreadPool(UPLOADS_IN_FLIGHT, task -> {
      Thread thread = new Thread(task, name + threads.incrementAndGet());
      thread.setDaemon(true);
      thread.setContextClassLoader(userCode);
      return thread;
    });
  }

  @Override
  public void processElement(StreamRecord<Frame> record) throws Exception {
    Frame frame = record.getValue();
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
      check(chunk, frame);
      if (chunk.error.isEmpty()) {
        CompletableFuture<ChunkResult> upload =
            CompletableFuture.supplyAsync(() -> upload(chunk, frame), uploads);
        // emit from the task thread as soon as it is done, not only when the next chunk completes
        upload.whenComplete((result, error) -> mailbox.execute(() -> emitFinished(0), "emit uploads"));
        inFlight.add(upload);
      } else {
        emit(result(chunk, frame, ""));
      }
      emitFinished(inFlight.size() >= UPLOADS_IN_FLIGHT ? 1 : 0);
    }
  }

  /** Emits every finished upload, waiting (oldest first) until at least {@code atLeast} were emitted. */
  private void emitFinished(int atLeast) throws InterruptedException, ExecutionException, IOException {
    if (inFlight == null) {
      return; // closed
    }
    int emitted = 0;
    while (emitted < atLeast && !inFlight.isEmpty()) {
      emit(inFlight.poll().get());
      emitted++;
    }
    for (Iterator<Future<ChunkResult>> it = inFlight.iterator(); it.hasNext(); ) {
      Future<ChunkResult> upload = it.next();
      if (upload.isDone()) {
        it.remove();
        emit(upload.get());
      }
    }
  }

  private void emit(ChunkResult result) throws IOException {
    output.collect(new StreamRecord<>(result));
    if (result.ok()) {
      failuresInARow = 0;
    } else if (storeWide.remove(result.key() + "#" + result.chunkIndex()) != null
        && ++failuresInARow >= UNUSABLE_AFTER) {
      throw new IOException("the destination '" + spec.destination().text() + "' is unusable: "
          + failuresInARow + " chunks in a row could not be written; the last: " + result.error());
    }
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    emitFinished(inFlight.size());
  }

  @Override
  public void endInput() throws Exception {
    emitFinished(inFlight.size());
  }

  private void place(OpenChunk chunk, Frame frame) throws IOException {
    byte[] raw = codec.decode(frame);
    int crc = Crc32c.of(raw, 0, raw.length);
    if (crc != frame.crc32c()) {
      throw new IOException(String.format(
          "checksum mismatch at offset %d: CRC32C %08x at the source, %08x after transfer",
          frame.frameOffset(), frame.crc32c(), crc));
    }
    if (chunk.buffer == null) {
      chunk.buffer = new byte[(int) frame.chunkLength()]; // at the first data: a failed chunk needs none
    }
    long at = frame.frameOffset() - frame.chunkOffset();
    if (at < 0 || at + raw.length > chunk.buffer.length) {
      throw new IOException("frame at " + frame.frameOffset() + " lies outside its chunk");
    }
    System.arraycopy(raw, 0, chunk.buffer, (int) at, raw.length);
  }

  /** Checks a complete chunk: every byte arrived, and the whole chunk has the source's CRC32C. */
  private static void check(OpenChunk chunk, Frame last) {
    if (chunk.error.isEmpty() && chunk.bytes != last.chunkLength()) {
      chunk.error = "chunk " + last.chunkIndex() + " of " + last.key() + " has " + chunk.bytes
          + " bytes, expected " + last.chunkLength();
    }
    if (chunk.error.isEmpty() && chunk.buffer == null) {
      chunk.buffer = new byte[0]; // an empty chunk: no frame had data
    }
    if (chunk.error.isEmpty()) {
      int whole = Crc32c.of(chunk.buffer, 0, chunk.buffer.length);
      if (whole != chunk.crc) {
        chunk.error = String.format("chunk %d of %s assembles to CRC32C %08x, expected %08x",
            last.chunkIndex(), last.key(), whole, chunk.crc);
      }
    }
  }

  /** Uploads a checked chunk (on an upload thread): the whole object in one request, or one part. */
  private ChunkResult upload(OpenChunk chunk, Frame last) {
    String token = "";
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
            new MultipartUpload(key, last.uploadId(), last.uploadStartedMillis()), last.chunkIndex() + 1, last.chunkOffset(),
            chunk.buffer, 0, chunk.buffer.length, chunk.crc);
        token = receipt.token();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot write chunk {} of {}: its object fails", last.chunkIndex(), last.key(), e);
      chunk.error = describe(last, e);
      if (e instanceof StoreException store && (store.isRetryable() || store.kind() == StoreException.Kind.ACCESS_DENIED)) {
        storeWide.put(last.key() + "#" + last.chunkIndex(), Boolean.TRUE);
      }
    }
    return result(chunk, last, token);
  }

  private static ChunkResult result(OpenChunk chunk, Frame last, String token) {
    chunk.buffer = null;
    return new ChunkResult(
        last.key(), last.objectSize(), last.objectMtime(), last.chunkIndex(), last.chunkCount(),
        last.chunkLength(), chunk.crc, chunk.wireBytes, chunk.error, chunk.readAtMillis,
        System.currentTimeMillis(), last.uploadId(), last.uploadStartedMillis(), token);
  }

  private static String describe(Frame frame, Exception e) {
    return "chunk " + frame.chunkIndex() + " of " + frame.key() + ": " + e.getMessage();
  }

  @Override
  public void close() throws Exception {
    inFlight = null;
    try {
      if (uploads != null) {
        // Cancelled or failed: stop the uploads in flight and wait for them, so that no part is
        // written after the task ended (the client aborts the run's uploads once the job is over).
        uploads.shutdownNow();
        if (!uploads.awaitTermination(UPLOAD_STOP_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
          LOG.warn("uploads still running {} s after this writer was closed", UPLOAD_STOP_SECONDS);
        }
      }
      if (codec != null) {
        codec.close();
      }
      if (open != null) {
        open.clear();
      }
      if (store != null) {
        StoreRetries.add(getRuntimeContext(), StoreRetries.DESTINATION, store);
        store.close();
      }
    } finally {
      super.close();
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
    }
  }
}
