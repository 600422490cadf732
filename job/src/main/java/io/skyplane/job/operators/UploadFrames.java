package io.skyplane.job.operators;

import io.skyplane.job.codec.FrameCodec;
import io.skyplane.job.model.ChunkResult;
import io.skyplane.job.model.Frame;
import io.skyplane.job.report.StoreRetries;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.store.MultipartUpload;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.PartReceipt;
import io.skyplane.store.StoreException;
import io.skyplane.store.WriteOptions;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Writes every destination, local files included, through the store contract. Each frame is
 * decompressed and its CRC32C checked against the source's; the checked bytes are appended to the
 * chunk's {@link FramePart}, which the store streams while the rest of the chunk is still on its way
 * (the upload starts with the chunk's first frame): as part {@code index + 1} of the object's
 * multipart upload (started by the enumerator; any writer may upload any part), or, for an object
 * of one chunk, as the whole object in one atomic write. The store checks the bytes it received
 * against the part's CRC32C, combined from the frames' (no second pass here). A damaged, missing or
 * out-of-order frame abandons the part: the upload fails, its object fails, and the committer
 * aborts the upload; such bytes never reach a committed object.
 *
 * <p>Memory: a part's frames are held until its upload is over (a store's retry sends the part
 * again), or dropped as they are written where the store reads a part once (local files). When the
 * bytes held exceed the writer's {@link #budget}, the writer stops taking frames until an upload whose
 * part is complete finishes (never waiting on a part that still needs frames: no deadlock). Results
 * are emitted from the task thread as uploads finish, and all of them before the input ends (or a
 * checkpoint barrier passes).
 */
public final class UploadFrames extends AbstractStreamOperator<ChunkResult>
    implements OneInputStreamOperator<Frame, ChunkResult>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  /** At most this many bytes of complete parts a writer holds before it waits for their uploads. */
  static final long BYTES_IN_FLIGHT = 128L << 20;
  /**
   * At most this many complete chunks a writer has uploading at once before it waits for the
   * oldest. Bytes alone do not bound small objects: thousands of 4 KiB puts fit in the byte budget,
   * and each would hold an upload thread and a connection (the store's client then opens and drops
   * connections, and the threads run its code cold). A few per writer keep a store busy.
   */
  static final int UPLOADS_IN_FLIGHT = Integer.getInteger("skyplane.uploads-in-flight", 16);
  /** The share of the heap all writers' complete parts may take, spread over the writers. */
  static final int HEAP_SHARE = 4;
  /** Heap a JVM keeps for everything but its writers' parts: Flink, the store clients, frames in transit. */
  static final long HEAP_RESERVE = 128L << 20;
  /** Chunks in a row whose upload fails for a store-wide reason before the store counts as unusable. */
  static final int UNUSABLE_AFTER = 10;
  private static final long UPLOAD_STOP_SECONDS = 10;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UploadFrames.class);

  private final TransferSpec spec;
  private transient FrameCodec codec;
  private transient ObjectStore store;
  private transient Map<String, OpenChunk> open;
  private transient ExecutorService uploads;
  /** Chunks whose last frame arrived, in that order, until their result is emitted. */
  private transient ArrayDeque<CompletableFuture<Outcome>> inFlight;
  private transient MailboxExecutor mailbox;
  private transient AtomicLong held;
  private transient long budget;
  private transient boolean reread;
  /** Whether chunks of one frame are written on the task thread (local files), not an upload thread. */
  private transient boolean inline;
  private transient int failuresInARow;

  public UploadFrames(TransferSpec spec) {
    this.spec = spec;
  }

  @Override
  public void open() throws Exception {
    super.open();
    codec = new FrameCodec(spec.compression());
    store = ObjectStores.open(spec.destination().store());
    reread = store.multipart().rereadsParts();
    inline = spec.destination().isLocal();
    open = new HashMap<>();
    inFlight = new ArrayDeque<>();
    held = new AtomicLong();
    int writers = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    if (reread) {
      int slots = getContainingTask().getEnvironment().getTaskManagerInfo().getConfiguration()
          .get(TaskManagerOptions.NUM_TASK_SLOTS);
      checkHeap(Runtime.getRuntime().maxMemory(), Math.min(writers, Math.max(1, slots)), spec.chunkSize());
    }
    budget = budget(Runtime.getRuntime().maxMemory(), writers, spec.chunkSize());
    mailbox = getContainingTask().getMailboxExecutorFactory().createExecutor(getOperatorConfig().getChainIndex());
    String name = "skyplane-upload-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + "-";
    AtomicInteger threads = new AtomicInteger();
    ClassLoader userCode = getRuntimeContext().getUserCodeClassLoader();
    // One thread per part being uploaded: parts still receiving frames block theirs, so a bounded
    // pool could starve the complete ones the writer waits for.
    uploads = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, name + threads.incrementAndGet());
      thread.setDaemon(true);
      thread.setContextClassLoader(userCode);
      return thread;
    });
  }

  @Override
  public void processElement(StreamRecord<Frame> record) throws Exception {
    Frame frame = record.getValue();
    OpenChunk chunk = open.get(frame.chunkId());
    if (chunk == null && inline && frame.lastInChunk() && !frame.failed()) {
      writeInline(frame);
      emitFinished(true);
      return;
    }
    if (chunk == null) {
      chunk = start(frame);
      open.put(frame.chunkId(), chunk);
    }
    chunk.wireBytes += frame.payload().length;
    if (chunk.error.isEmpty()) {
      try {
        place(chunk, frame);
      } catch (IOException | RuntimeException e) {
        chunk.fail(describe(frame, e));
      }
    }
    if (frame.lastInChunk()) {
      open.remove(frame.chunkId());
      if (chunk.error.isEmpty() && chunk.part.received() != frame.chunkLength()) {
        chunk.fail("chunk " + frame.chunkIndex() + " of " + frame.key() + " has " + chunk.part.received()
            + " bytes, expected " + frame.chunkLength());
      }
      if (chunk.error.isEmpty()) {
        chunk.part.finish();
      }
      OpenChunk done = chunk;
      CompletableFuture<Outcome> result = chunk.upload.thenApply(token -> result(done, frame, token));
      // emit from the task thread as soon as it is done, not only when the next chunk completes
      result.whenComplete((r, error) -> mailbox.execute(() -> emitFinished(false), "emit uploads"));
      inFlight.add(result);
    }
    emitFinished(true);
  }

  /**
   * Writes a chunk that arrived in one frame on the task thread, where the destination is local
   * files: a put there is a few system calls, cheaper than handing it to an upload thread and its
   * result back through the mailbox (which costs more than the write for a small file). Checks and
   * failures as for any chunk.
   */
  private void writeInline(Frame frame) throws IOException {
    OpenChunk chunk = new OpenChunk(frame.readAtMillis(), new FramePart(frame.chunkLength(), reread, held::addAndGet));
    chunk.wireBytes = frame.payload().length;
    try {
      place(chunk, frame);
    } catch (IOException | RuntimeException e) {
      chunk.fail(describe(frame, e));
    }
    if (chunk.error.isEmpty() && chunk.part.received() != frame.chunkLength()) {
      chunk.fail("chunk " + frame.chunkIndex() + " of " + frame.key() + " has " + chunk.part.received()
          + " bytes, expected " + frame.chunkLength());
    }
    String token = "";
    if (chunk.error.isEmpty()) {
      chunk.part.finish();
      token = upload(chunk, frame);
    } else {
      chunk.part.release();
    }
    emit(result(chunk, frame, token));
  }

  /** Whether the writer waits for an upload before it takes the next frame: too many bytes or uploads. */
  private boolean mustWait() {
    return held.get() > budget || inFlight.size() >= UPLOADS_IN_FLIGHT;
  }

  /**
   * The least heap the writers of one JVM need where a store may send a part again (so its frames
   * are held until its upload ends): one chunk per writer (the {@link #budget} never drops below
   * it) plus {@link #HEAP_RESERVE} for everything else. Two chunks per writer let one part arrive
   * while the previous one uploads (the README's per-slot figure).
   */
  static long heapNeeded(int writersHere, long chunkSize) {
    return HEAP_RESERVE + (long) writersHere * chunkSize;
  }

  /**
   * Fails the job at once, without restarts (another attempt cannot have more memory), when this
   * JVM's heap is below {@link #heapNeeded}, with what to change: below it the writers would run
   * out of memory mid-transfer.
   */
  static void checkHeap(long maxHeap, int writersHere, long chunkSize) {
    long need = heapNeeded(writersHere, chunkSize);
    if (maxHeap < need) {
      throw new SuppressRestartsException(new IllegalStateException(String.format(
          "this TaskManager's heap of %d MiB is too small for %d writer(s) of %d MiB chunks: they need at"
              + " least %d MiB (a chunk each, plus %d MiB; two chunks each for full speed). Give the"
              + " TaskManager more memory (taskmanager.memory.process.size, local-cluster --tm-memory;"
              + " SKYPLANE_HEAP for bin/skyplane) or lower --chunk-size or the parallelism",
          maxHeap >> 20, writersHere, chunkSize >> 20, need >> 20, HEAP_RESERVE >> 20)));
    }
  }

  /**
   * The bytes of complete parts one writer holds before it waits: {@link #BYTES_IN_FLIGHT}, less
   * where the heap is small (a quarter of it spread over the writers, which may all share this
   * JVM), but at least one chunk.
   */
  static long budget(long maxHeap, int writers, long chunkSize) {
    return Math.max(chunkSize, Math.min(BYTES_IN_FLIGHT, maxHeap / HEAP_SHARE / Math.max(1, writers)));
  }

  /** Starts the chunk's upload at its first frame; the upload streams the frames as they arrive. */
  private OpenChunk start(Frame first) {
    OpenChunk chunk = new OpenChunk(first.readAtMillis(), new FramePart(first.chunkLength(), reread, held::addAndGet));
    if (first.failed()) {
      chunk.fail(describe(first, new IOException(first.failure())));
      chunk.upload = CompletableFuture.completedFuture("");
    } else {
      chunk.upload = CompletableFuture.supplyAsync(() -> upload(chunk, first), uploads);
    }
    return chunk;
  }

  /**
   * Emits every finished result; with {@code waitForOne}, then waits for the oldest chunk whose
   * part is complete (its upload needs no more frames) when the writer holds too much
   * ({@link #mustWait()}).
   */
  private void emitFinished(boolean waitForOne) throws InterruptedException, ExecutionException, IOException {
    if (inFlight == null) {
      return; // closed
    }
    emitDone();
    if (waitForOne && mustWait() && !inFlight.isEmpty()) {
      emit(inFlight.poll().get());
      emitDone();
    }
  }

  private void emitDone() throws InterruptedException, ExecutionException, IOException {
    for (Iterator<CompletableFuture<Outcome>> it = inFlight.iterator(); it.hasNext(); ) {
      CompletableFuture<Outcome> result = it.next();
      if (result.isDone()) {
        it.remove();
        emit(result.get());
      }
    }
  }

  private void emitAll() throws InterruptedException, ExecutionException, IOException {
    while (inFlight != null && !inFlight.isEmpty()) {
      emit(inFlight.poll().get());
    }
  }

  private void emit(Outcome outcome) throws IOException {
    output.collect(new StreamRecord<>(outcome.result()));
    if (outcome.result().ok()) {
      failuresInARow = 0;
    } else if (outcome.storeWide() && ++failuresInARow >= UNUSABLE_AFTER) {
      throw new IOException("the destination '" + spec.destination().text() + "' is unusable: "
          + failuresInARow + " chunks in a row could not be written; the last: " + outcome.result().error());
    }
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    emitAll();
  }

  @Override
  public void endInput() throws Exception {
    for (OpenChunk chunk : open.values()) {
      chunk.fail("the input ended before the chunk's last frame");
    }
    emitAll();
  }

  /** Decodes a frame, checks it against the source's CRC32C and appends it to the chunk's part. */
  private void place(OpenChunk chunk, Frame frame) throws IOException {
    byte[] raw = codec.decode(frame);
    int crc = io.skyplane.store.Crc32c.of(raw, 0, raw.length);
    if (crc != frame.crc32c()) {
      throw new IOException(String.format(
          "checksum mismatch at offset %d: CRC32C %08x at the source, %08x after transfer",
          frame.frameOffset(), frame.crc32c(), crc));
    }
    long expected = frame.chunkOffset() + chunk.part.received();
    if (frame.frameOffset() != expected) {
      throw new IOException("frame at " + frame.frameOffset() + " arrived where " + expected + " was due");
    }
    if (chunk.part.received() + raw.length > frame.chunkLength()) {
      throw new IOException("frame at " + frame.frameOffset() + " lies outside its chunk");
    }
    chunk.part.append(raw, crc);
  }

  /**
   * Uploads a chunk (on an upload thread) as its frames arrive: the whole object in one write, or
   * one part. Returns the part's token ("" for a whole object); a failure is left in the chunk.
   */
  private String upload(OpenChunk chunk, Frame first) {
    String key = spec.destinationKey(first.key());
    try {
      if (first.uploadId().isEmpty()) {
        ObjectInfo written = store.put(key, chunk.part, new WriteOptions(spec.transferId(), first.objectMtime()));
        if (written.size() != first.objectSize()) {
          chunk.fail("wrote " + written.size() + " bytes to " + store.uri(key) + ", expected " + first.objectSize());
        }
        return "";
      }
      PartReceipt receipt = store.multipart().upload(
          new MultipartUpload(key, first.uploadId(), first.uploadStartedMillis()), first.chunkIndex() + 1,
          first.chunkOffset(), chunk.part);
      return receipt.token();
    } catch (IOException | RuntimeException e) {
      if (chunk.error.isEmpty()) { // not a part abandoned for a frame's reason
        LOG.warn("cannot write chunk {} of {}: its object fails", first.chunkIndex(), first.key(), e);
        chunk.storeWide = e instanceof StoreException failure
            && (failure.isRetryable() || failure.kind() == StoreException.Kind.ACCESS_DENIED);
        chunk.fail(describe(first, e));
      }
      return "";
    } finally {
      chunk.part.release();
    }
  }

  private static Outcome result(OpenChunk chunk, Frame last, String token) {
    int crc;
    try {
      crc = chunk.error.isEmpty() ? chunk.part.crc32c() : 0;
    } catch (IOException e) {
      crc = 0;
    }
    return new Outcome(new ChunkResult(
        last.key(), last.objectSize(), last.objectMtime(), last.chunkIndex(), last.chunkCount(),
        last.chunkLength(), crc, chunk.wireBytes, chunk.error, chunk.readAtMillis,
        System.currentTimeMillis(), last.uploadId(), last.uploadStartedMillis(), token), chunk.storeWide);
  }

  private static String describe(Frame frame, Exception e) {
    return "chunk " + frame.chunkIndex() + " of " + frame.key() + ": " + e.getMessage();
  }

  @Override
  public void close() throws Exception {
    inFlight = null;
    try {
      if (open != null) {
        for (OpenChunk chunk : open.values()) {
          chunk.part.abandon("the writer was closed");
        }
        open.clear();
      }
      if (uploads != null) {
        // Cancelled or failed: stop the uploads in flight and wait for them, so that no part is
        // written after the task ended (the client aborts the run's uploads once the job is over).
        uploads.shutdownNow();
        if (!uploads.awaitTermination(UPLOAD_STOP_SECONDS, TimeUnit.SECONDS)) {
          LOG.warn("uploads still running {} s after this writer was closed", UPLOAD_STOP_SECONDS);
        }
      }
      if (codec != null) {
        codec.close();
      }
      if (store != null) {
        StoreRetries.add(getRuntimeContext(), StoreRetries.DESTINATION, store);
        store.close();
      }
    } finally {
      super.close();
    }
  }

  /** A chunk's result, and whether it failed for a reason of the store (not of the object). */
  private record Outcome(ChunkResult result, boolean storeWide) {}

  private static final class OpenChunk {
    final long readAtMillis;
    final FramePart part;
    CompletableFuture<String> upload;
    long wireBytes;
    /** Set by the task thread (a frame's reason) or the upload thread (the store's). */
    volatile String error = "";
    volatile boolean storeWide;

    OpenChunk(long readAtMillis, FramePart part) {
      this.readAtMillis = readAtMillis;
      this.part = part;
    }

    /** Fails the chunk (the first reason stays) and abandons its part: its upload fails too. */
    synchronized void fail(String reason) {
      if (error.isEmpty()) {
        error = reason;
      }
      part.abandon(reason);
    }
  }
}
