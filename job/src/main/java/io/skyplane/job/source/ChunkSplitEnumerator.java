package io.skyplane.job.source;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;

/**
 * Hands out chunk splits on request, a byte budget at a time: each answer is at least one split
 * and about one chunk of bytes, or up to {@link #MAX_BATCH} small files. Readers ask when they are
 * down to their last split, so each holds what it reads plus one batch, big chunks stay balanced
 * across readers, and thousands of small files cost a few requests, not one round trip each.
 */
final class ChunkSplitEnumerator
    implements SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> {
  static final int MAX_BATCH = 512;

  private final SplitEnumeratorContext<FileSourceSplit> context;
  private final ArrayDeque<FileSourceSplit> pending;
  private final long byteBudget;
  private final Set<Integer> finished = new HashSet<>();

  ChunkSplitEnumerator(
      SplitEnumeratorContext<FileSourceSplit> context,
      Collection<FileSourceSplit> splits,
      long byteBudget) {
    this.context = context;
    this.pending = new ArrayDeque<>(splits);
    this.byteBudget = byteBudget;
  }

  @Override
  public void start() {}

  @Override
  public void handleSplitRequest(int subtask, @Nullable String hostname) {
    List<FileSourceSplit> batch = new ArrayList<>();
    long bytes = 0;
    while (!pending.isEmpty() && batch.size() < MAX_BATCH && (batch.isEmpty() || bytes < byteBudget)) {
      FileSourceSplit split = pending.pollFirst();
      batch.add(split);
      bytes += split.length();
    }
    if (!batch.isEmpty()) {
      context.assignSplits(new SplitsAssignment<>(Map.of(subtask, batch)));
    }
    if (pending.isEmpty() && finished.add(subtask)) {
      context.signalNoMoreSplits(subtask);
    }
  }

  @Override
  public void addSplitsBack(List<FileSourceSplit> splits, int subtaskId) {
    finished.remove(subtaskId);
    for (int i = splits.size() - 1; i >= 0; i--) {
      pending.addFirst(splits.get(i));
    }
  }

  @Override
  public void addReader(int subtaskId) {
    // pull-based: the reader asks for splits when it starts
  }

  @Override
  public PendingSplitsCheckpoint<FileSourceSplit> snapshotState(long checkpointId) {
    return PendingSplitsCheckpoint.fromCollectionSnapshot(new ArrayList<>(pending));
  }

  @Override
  public void close() {}
}
