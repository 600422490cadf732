package io.skyplane.job.source;

import io.skyplane.job.model.Frame;
import io.skyplane.job.transfer.TransferSpec;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitState;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;

/**
 * Reads chunk splits as frames. It asks the enumerator for more splits only when at most one of
 * its splits is left (and no request is in flight), so a reader holds the split it reads plus the
 * next batch, and a batch of small files costs one request, not one per file.
 */
final class ChunkSourceReader
    extends SingleThreadMultiplexSourceReaderBase<
        Frame, Frame, FileSourceSplit, FileSourceSplitState<FileSourceSplit>> {
  private int outstanding;
  private boolean requestInFlight;
  private boolean noMoreSplits;

  ChunkSourceReader(SourceReaderContext context, TransferSpec spec) {
    super(() -> new ChunkSplitReader(spec, context.getIndexOfSubtask()),
        (frame, output, state) -> {
          output.collect(frame);
          state.setPosition(CheckpointedPosition.NO_OFFSET, state.getRecordsToSkipAfterOffset() + 1);
        },
        context.getConfiguration(), context);
  }

  @Override
  public void start() {
    maybeRequest();
  }

  @Override
  public void addSplits(List<FileSourceSplit> splits) {
    super.addSplits(splits);
    outstanding += splits.size();
    requestInFlight = false;
    maybeRequest();
  }

  @Override
  public void notifyNoMoreSplits() {
    noMoreSplits = true;
    super.notifyNoMoreSplits();
  }

  @Override
  protected void onSplitFinished(Map<String, FileSourceSplitState<FileSourceSplit>> finished) {
    outstanding -= finished.size();
    SplitBookkeeping.forgetSplitMetrics(context.metricGroup(), finished.keySet());
    maybeRequest();
  }

  private void maybeRequest() {
    if (!noMoreSplits && !requestInFlight && outstanding <= 1) {
      requestInFlight = true;
      context.sendSplitRequest();
    }
  }

  @Override
  protected FileSourceSplitState<FileSourceSplit> initializedState(FileSourceSplit split) {
    return new FileSourceSplitState<>(split);
  }

  @Override
  protected FileSourceSplit toSplitType(String splitId, FileSourceSplitState<FileSourceSplit> state) {
    return state.toFileSourceSplit();
  }
}
