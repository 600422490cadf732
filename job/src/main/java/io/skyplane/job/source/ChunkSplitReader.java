package io.skyplane.job.source;

import io.skyplane.job.model.Frame;
import io.skyplane.job.report.StoreRetries;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreException;
import java.io.IOException;
import java.util.ArrayDeque;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.file.src.FileSourceSplit;

/**
 * Runs in the reader's fetcher thread: reads its splits in order, and hands frames to the task
 * thread in batches of up to {@link #BATCH_BYTES} or {@link #BATCH_FRAMES}, which may span many
 * small splits (one hand-off per batch, not two per small file).
 */
final class ChunkSplitReader implements SplitReader<Frame, FileSourceSplit> {
  static final long BATCH_BYTES = 8L << 20;
  static final int BATCH_FRAMES = 256;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChunkSplitReader.class);
  /** Chunks in a row that fail for a store-wide reason before the store counts as unusable. */
  static final int UNUSABLE_AFTER = 10;

  private final TransferSpec spec;
  private final ArrayDeque<FileSourceSplit> queue = new ArrayDeque<>();
  private ChunkSplit currentSplit;
  private ChunkRangeReader current;
  /** The source store (opened on first use), or null for local files. */
  private ObjectStore store;
  private int failuresInARow;
  private final int subtask;

  ChunkSplitReader(TransferSpec spec) {
    this(spec, 0);
  }

  ChunkSplitReader(TransferSpec spec, int subtask) {
    this.spec = spec;
    this.subtask = subtask;
  }

  private ObjectStore store() throws IOException {
    if (spec.source().isLocal()) {
      return null;
    }
    if (store == null) {
      store = ObjectStores.open(spec.source().store());
    }
    return store;
  }

  @Override
  public RecordsWithSplitIds<Frame> fetch() throws IOException {
    FrameBatch batch = new FrameBatch();
    long bytes = 0;
    int frames = 0;
    while (bytes < BATCH_BYTES && frames < BATCH_FRAMES) {
      if (current == null) {
        currentSplit = (ChunkSplit) queue.poll();
        if (currentSplit == null) {
          break;
        }
        if (!currentSplit.error().isEmpty()) {
          // the enumerator could not prepare this chunk (its upload did not start): fail its object
          finish(batch, ChunkRangeReader.failed(spec, currentSplit, currentSplit.offset(), currentSplit.error()));
          continue;
        }
        // A chunk is always read from its first frame, also when it comes back after a failure with
        // a reader position: the writer that had its earlier frames lost them with the failure
        // (writers keep no partial chunks in state).
        try {
          current = new ChunkRangeReader(spec, currentSplit, 0, store());
        } catch (IOException | RuntimeException e) {
          failed(batch, ChunkRangeReader.failed(spec, currentSplit, currentSplit.offset(), reason(e)), e);
          continue;
        }
      }
      Frame frame;
      try {
        frame = current.next();
      } catch (IOException | RuntimeException e) {
        failed(batch, current.failed(reason(e)), e);
        continue;
      }
      if (frame == null) {
        batch.finish(currentSplit.splitId());
        closeCurrent();
        failuresInARow = 0;
        StoreRetries.leave(spec.transferId(), subtask, store);
        continue;
      }
      batch.add(currentSplit.splitId(), frame);
      bytes += frame.rawLength();
      frames++;
    }
    return batch;
  }

  /**
   * Ends the current chunk with a failed frame: its object fails, the others go on. Many chunks
   * in a row failing for a reason of the store (not of one object) mean the store is unusable: the
   * job fails with that reason instead of failing every object slowly.
   */
  private void failed(FrameBatch batch, Frame failure, Exception e) throws IOException {
    LOG.warn("cannot read chunk {} of {}: its object fails", failure.chunkIndex(), failure.key(), e);
    finish(batch, failure);
    if (isStoreWide(e) && ++failuresInARow >= UNUSABLE_AFTER) {
      throw new IOException("the source '" + spec.source().text() + "' is unusable: " + failuresInARow
          + " chunks in a row could not be read; the last: " + reason(e), e);
    }
  }

  private void finish(FrameBatch batch, Frame failure) {
    batch.add(currentSplit.splitId(), failure);
    batch.finish(currentSplit.splitId());
    closeCurrent();
    StoreRetries.leave(spec.transferId(), subtask, store);
  }

  private void closeCurrent() {
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        // a failed stream; nothing more to read from it
      }
      current = null;
    }
  }

  /** A failure of the store itself (unreachable, throttling, credentials), not of one object. */
  static boolean isStoreWide(Exception e) {
    if (e instanceof StoreException store) {
      return store.isRetryable() || store.kind() == StoreException.Kind.ACCESS_DENIED;
    }
    return false;
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  @Override
  public void handleSplitsChanges(SplitsChange<FileSourceSplit> change) {
    if (!(change instanceof SplitsAddition)) {
      throw new UnsupportedOperationException("unsupported splits change " + change);
    }
    queue.addAll(change.splits());
  }

  @Override
  public void wakeUp() {
    // fetch() never blocks
  }

  @Override
  public void close() throws IOException {
    try {
      closeCurrent();
    } finally {
      if (store != null) {
        store.close();
        store = null;
      }
    }
  }
}
