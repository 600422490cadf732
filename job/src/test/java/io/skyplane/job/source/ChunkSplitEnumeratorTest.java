package io.skyplane.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.junit.jupiter.api.Test;

class ChunkSplitEnumeratorTest {
  private static final long CHUNK = 64L << 20;

  /** Records assignments; the enumerator only assigns and signals. */
  private static final class Recorder implements SplitEnumeratorContext<FileSourceSplit> {
    final Map<Integer, List<List<FileSourceSplit>>> batches = new HashMap<>();
    final Set<Integer> noMore = new HashSet<>();
    int noMoreSignals;

    @Override
    public void assignSplits(SplitsAssignment<FileSourceSplit> assignment) {
      assignment.assignment().forEach((k, v) -> batches.computeIfAbsent(k, x -> new ArrayList<>()).add(List.copyOf(v)));
    }

    @Override
    public void signalNoMoreSplits(int subtask) {
      noMore.add(subtask);
      noMoreSignals++;
    }

    @Override public SplitEnumeratorMetricGroup metricGroup() { throw new UnsupportedOperationException(); }
    @Override public void sendEventToSourceReader(int subtaskId, SourceEvent event) {}
    @Override public int currentParallelism() { return 2; }
    @Override public Map<Integer, ReaderInfo> registeredReaders() { return Map.of(); }
    @Override public <T> void callAsync(Callable<T> c, BiConsumer<T, Throwable> h) {}
    @Override public <T> void callAsync(Callable<T> c, BiConsumer<T, Throwable> h, long d, long p) {}
    @Override public void runInCoordinatorThread(Runnable runnable) { runnable.run(); }
  }

  private static List<FileSourceSplit> splits(int count, long length) {
    List<FileSourceSplit> splits = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      splits.add(new FileSourceSplit("" + i, new Path("/f" + i), 0, length, 0, length));
    }
    return splits;
  }

  @Test
  void smallFilesGoOutInLargeBatches() {
    Recorder context = new Recorder();
    ChunkSplitEnumerator enumerator = new ChunkSplitEnumerator(context, splits(2000, 4096), CHUNK);

    enumerator.handleSplitRequest(0, null);

    assertThat(context.batches.get(0)).singleElement()
        .satisfies(b -> assertThat(b).hasSize(ChunkSplitEnumerator.MAX_BATCH));
  }

  @Test
  void bigChunksGoOutOneAtATime() {
    Recorder context = new Recorder();
    ChunkSplitEnumerator enumerator = new ChunkSplitEnumerator(context, splits(10, CHUNK), CHUNK);

    enumerator.handleSplitRequest(0, null);
    enumerator.handleSplitRequest(1, null);
    enumerator.handleSplitRequest(0, null);

    assertThat(context.batches.get(0)).extracting(List::size).containsExactly(1, 1);
    assertThat(context.batches.get(1)).extracting(List::size).containsExactly(1);
    assertThat(context.noMore).isEmpty();
  }

  @Test
  void everySplitIsAssignedOnceAndNoMoreSplitsIsSignalledOnce() {
    Recorder context = new Recorder();
    ChunkSplitEnumerator enumerator = new ChunkSplitEnumerator(context, splits(7, CHUNK), CHUNK);

    for (int round = 0; round < 10; round++) {
      enumerator.handleSplitRequest(round % 2, null);
    }

    List<String> ids = new ArrayList<>();
    context.batches.values().forEach(list -> list.forEach(b -> b.forEach(s -> ids.add(s.splitId()))));
    assertThat(ids).containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5", "6");
    assertThat(context.noMore).containsExactlyInAnyOrder(0, 1);
    assertThat(context.noMoreSignals).isEqualTo(2);
  }

  @Test
  void splitsOfAFailedReaderGoBackToThePool() {
    Recorder context = new Recorder();
    ChunkSplitEnumerator enumerator = new ChunkSplitEnumerator(context, splits(3, CHUNK), CHUNK);
    enumerator.handleSplitRequest(0, null);
    List<FileSourceSplit> lost = context.batches.get(0).get(0);

    enumerator.addSplitsBack(lost, 0);
    enumerator.handleSplitRequest(1, null);

    assertThat(context.batches.get(1).get(0)).extracting(FileSourceSplit::splitId).containsExactly("0");
    assertThat(enumerator.snapshotState(1).getSplits()).extracting(FileSourceSplit::splitId).containsExactly("1", "2");
  }
}
