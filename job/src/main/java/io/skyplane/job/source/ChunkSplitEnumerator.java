package io.skyplane.job.source;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
 * Hands out chunk splits on request, a byte budget at a time. A reader asks once when it starts
 * and once per finished split; each answer tops the reader up to about one chunk of outstanding
 * bytes (at least two splits, so the next split is queued while one is read; at most
 * {@link #MAX_OUTSTANDING} small files). Thousands of small files thus cost a few requests, not one
 * round trip each, while big chunks stay balanced across readers.
 */
final class ChunkSplitEnumerator
    implements SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> {
  static final int MAX_OUTSTANDING = 512;

  private final SplitEnumeratorContext<FileSourceSplit> context;
  private final ArrayDeque<FileSourceSplit> pending;
  private final long byteBudget;
  private final Map<Integer, ArrayDeque<FileSourceSplit>> outstanding = new HashMap<>();
  private final Set<Integer> started = new HashSet<>();
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
    ArrayDeque<FileSourceSplit> queue = outstanding.computeIfAbsent(subtask, k -> new ArrayDeque<>());
    if (!started.add(subtask)) {
      queue.pollFirst(); // a request after the first reports one finished split (readers go in order)
    }
    List<FileSourceSplit> batch = new ArrayList<>();
    long bytes = queue.stream().mapToLong(FileSourceSplit::length).sum();
    while (!pending.isEmpty()
        && queue.size() < MAX_OUTSTANDING
        && (queue.size() < 2 || bytes < byteBudget)) {
      FileSourceSplit split = pending.pollFirst();
      queue.addLast(split);
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
    ArrayDeque<FileSourceSplit> queue = outstanding.remove(subtaskId);
    started.remove(subtaskId);
    finished.remove(subtaskId);
    for (int i = splits.size() - 1; i >= 0; i--) {
      pending.addFirst(splits.get(i));
    }
    if (queue != null) {
      queue.clear();
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
