package io.skyplane.job.source;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.util.FlinkRuntimeException;

/**
 * Hands out chunk splits on request, a byte budget at a time: each answer is at least one split
 * and about one chunk of bytes, or up to {@link #MAX_BATCH} small files. Readers ask when they are
 * down to their last split, so each holds what it reads plus one batch, big chunks stay balanced
 * across readers, and thousands of small files cost a few requests, not one round trip each.
 *
 * <p>Splits come from a listing that runs in the enumerator's async worker while the job runs, a
 * page at a time and at most {@link #LOOKAHEAD} splits ahead of the readers (so a huge bucket is
 * neither held in memory nor waited for). Requests that arrive before splits are parked and
 * answered when the next page is cut. A listing failure fails the job.
 *
 * <p>State is bounded whatever the size of the source: pending splits (at most {@link #LOOKAHEAD}
 * plus one page of about {@code PAGE} chunks, or one object's chunks, which is also all a
 * checkpoint would hold; transfers take none), the parked requests and finished readers (one entry
 * per subtask), and the listing's cursor inside {@link ListingSplits}. Splits handed out are not kept, here or, see {@link SplitBookkeeping}, in Flink's
 * coordinator.
 */
final class ChunkSplitEnumerator
    implements SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> {
  static final int MAX_BATCH = 512;
  static final int LOOKAHEAD = 4096;
  private static final int PAGE = 1000;

  private final SplitEnumeratorContext<FileSourceSplit> context;
  private final ArrayDeque<FileSourceSplit> pending;
  private final long byteBudget;
  private final Set<Integer> finished = new HashSet<>();
  private final Set<Integer> waiting = new LinkedHashSet<>();
  @Nullable private ListingSplits supply;
  @Nullable private final Supplier<ListingSplits> supplies;
  /** The highest execution attempt of any reader so far: a higher one means the job restarted. */
  private int attempt;
  /** Whether this enumerator has handed out splits (Flink may also create a new one for a restart). */
  private boolean assigned;
  private boolean listing;
  private boolean exhausted;

  /** An enumerator of splits known up front. */
  ChunkSplitEnumerator(
      SplitEnumeratorContext<FileSourceSplit> context,
      Collection<? extends FileSourceSplit> splits,
      long byteBudget) {
    this(context, splits, byteBudget, null);
  }

  /** An enumerator of {@code splits} and then those of {@code supply}, listed as the job runs. */
  ChunkSplitEnumerator(
      SplitEnumeratorContext<FileSourceSplit> context,
      Collection<? extends FileSourceSplit> splits,
      long byteBudget,
      @Nullable Supplier<ListingSplits> supplies) {
    this.context = context;
    this.pending = new ArrayDeque<>(splits);
    this.byteBudget = byteBudget;
    this.supplies = supplies;
    this.supply = supplies == null ? null : supplies.get();
    this.exhausted = supply == null;
  }

  @Override
  public void start() {
    maybeList();
  }

  @Override
  public void handleSplitRequest(int subtask, @Nullable String hostname) {
    if (pending.isEmpty() && !exhausted) {
      waiting.add(subtask);
      maybeList();
      return;
    }
    List<FileSourceSplit> batch = new ArrayList<>();
    long bytes = 0;
    while (!pending.isEmpty() && batch.size() < MAX_BATCH && (batch.isEmpty() || bytes < byteBudget)) {
      FileSourceSplit split = pending.pollFirst();
      batch.add(split);
      bytes += split.length();
    }
    if (!batch.isEmpty()) {
      assigned = true;
      context.assignSplits(new SplitsAssignment<>(Map.of(subtask, batch)));
      SplitBookkeeping.forgetAssignments(context); // else held for the whole job: see there
    }
    if (pending.isEmpty() && exhausted && finished.add(subtask)) {
      context.signalNoMoreSplits(subtask);
    }
    maybeList();
  }

  private void maybeList() {
    if (listing || exhausted || pending.size() >= LOOKAHEAD) {
      return;
    }
    listing = true;
    ListingSplits from = supply;
    context.callAsync(() -> {
      // Flink's coordinator worker threads need not carry the user-code class loader that the
      // store SDKs' service lookups expect.
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      thread.setContextClassLoader(ListingSplits.class.getClassLoader());
      try {
        return from.next(PAGE);
      } finally {
        thread.setContextClassLoader(previous);
      }
    }, (splits, error) -> listed(from, splits, error));
  }

  private void listed(ListingSplits from, @Nullable List<ChunkSplit> splits, @Nullable Throwable error) {
    if (from != supply) {
      return; // listed for the attempt before a restart
    }
    listing = false;
    if (error != null) {
      throw new FlinkRuntimeException("cannot list the source: " + error.getMessage(), error);
    }
    if (splits.isEmpty()) {
      exhausted = true;
    } else {
      pending.addAll(splits);
    }
    List<Integer> parked = new ArrayList<>(waiting);
    waiting.clear();
    for (int subtask : parked) {
      handleSplitRequest(subtask, null);
    }
    maybeList();
  }

  @Override
  public void addSplitsBack(List<FileSourceSplit> splits, int subtaskId) {
    finished.remove(subtaskId);
    for (int i = splits.size() - 1; i >= 0; i--) {
      FileSourceSplit split = splits.get(i);
      // After a restart from the start, a new enumerator lists the source again: splits that
      // readers of the failed attempt held come back too, and would be read twice.
      if (supply == null || supply.cut(split.splitId())) {
        pending.addFirst(split instanceof ChunkSplit chunk ? chunk.updateWithCheckpointedPosition(null) : split);
      }
    }
  }

  @Override
  public void addReader(int subtaskId) {
    // pull-based: the reader asks for splits when it starts
    Map<Integer, ?> attempts = context.registeredReadersOfAttempts().getOrDefault(subtaskId, Map.of());
    int latest = attempts.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    if (latest > attempt) {
      attempt = latest;
      if (assigned) {
        restart();
      }
    }
  }

  /**
   * The job restarted after a failure (a lost TaskManager, a crashed task): every task starts
   * afresh, and what the failed attempt's writers held is lost. The transfer starts again from
   * the beginning: a new listing, whose splits are the only ones handed out from now on (splits
   * the failed readers held come back through {@link #addSplitsBack} and are dropped). Flink's
   * own bookkeeping of which splits to add back cannot be relied on here: without a checkpoint
   * it returned some splits of a failed attempt twice and lost others.
   */
  private void restart() {
    if (supplies == null) {
      // splits known up front (restored): hand them all out again
      return;
    }
    ListingSplits old = supply;
    try {
      old.close();
    } catch (IOException e) {
      // the old listing's store client; the new listing opens its own
    }
    supply = supplies.get();
    assigned = false;
    pending.clear();
    finished.clear();
    waiting.clear();
    listing = false;
    exhausted = false;
    maybeList();
  }

  @Override
  public PendingSplitsCheckpoint<FileSourceSplit> snapshotState(long checkpointId) {
    return PendingSplitsCheckpoint.fromCollectionSnapshot(new ArrayList<>(pending));
  }

  @Override
  public void close() throws IOException {
    if (supply != null) {
      supply.close();
    }
  }
}
