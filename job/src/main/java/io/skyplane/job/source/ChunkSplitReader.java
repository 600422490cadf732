package io.skyplane.job.source;

import io.skyplane.job.model.Frame;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
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

  private final TransferSpec spec;
  private final ArrayDeque<FileSourceSplit> queue = new ArrayDeque<>();
  private ChunkSplit currentSplit;
  private ChunkRangeReader current;
  /** The source store (opened on first use), or null for local files. */
  private ObjectStore store;

  ChunkSplitReader(TransferSpec spec) {
    this.spec = spec;
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
        // A chunk is always read from its first frame, also when it comes back after a failure with
        // a reader position: the writer that had its earlier frames lost them with the failure
        // (writers keep no partial chunks in state).
        current = new ChunkRangeReader(spec, currentSplit, 0, store());
      }
      Frame frame = current.next();
      if (frame == null) {
        batch.finish(currentSplit.splitId());
        current.close();
        current = null;
        continue;
      }
      batch.add(currentSplit.splitId(), frame);
      bytes += frame.rawLength();
      frames++;
    }
    return batch;
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
      if (current != null) {
        current.close();
        current = null;
      }
    } finally {
      if (store != null) {
        store.close();
        store = null;
      }
    }
  }
}
