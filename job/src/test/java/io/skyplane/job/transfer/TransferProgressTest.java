package io.skyplane.job.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.job.model.JobTotals;
import io.skyplane.job.model.TransferEvent;
import io.skyplane.job.model.TransferEvent.Kind;
import org.junit.jupiter.api.Test;

class TransferProgressTest {
  private static final long START = 1_000_000L;

  @Test
  void movingTimeRunsFromFirstReadToLastCommit() {
    JobTotals totals = new JobTotals(0);
    totals.accept(chunk("a", 100, START + 2_000, START + 2_500));
    totals.accept(chunk("a", 100, START + 2_100, START + 2_900));
    totals.accept(committed("a", 200, START + 2_000, START + 4_000));
    totals.accept(new TransferEvent(Kind.COMMITTED, true, "b", 100, 100, 0, "", START + 3_000, START + 6_500));
    TransferProgress progress = new TransferProgress(2, 300, START);
    progress.update(totals, 0);

    TransferProgress.Snapshot done = progress.snapshot(START + 9_000);

    assertThat(done.firstReadMillis()).isEqualTo(2_000);
    assertThat(done.lastCommitMillis()).isEqualTo(6_500);
    assertThat(done.movingSeconds()).isEqualTo(4.5);
    assertThat(done.elapsedMillis()).isEqualTo(9_000);
    assertThat(done.bytes()).isEqualTo(300);
    assertThat(done.committedObjects()).isEqualTo(2);
  }

  @Test
  void aRestartReplacesTheTotalsOfTheEarlierAttemptInsteadOfAddingToThem() {
    TransferProgress progress = new TransferProgress(1, 100, START);
    JobTotals first = new JobTotals(0);
    first.accept(chunk("a", 60, START + 1_000, START + 1_500));
    progress.update(first, 0);
    JobTotals second = new JobTotals(1);
    second.accept(new TransferEvent(Kind.COMMITTED, true, "a", 100, 100, 0, "", START + 5_000, START + 8_000));
    progress.update(second, 1);
    progress.update(first, 0); // a late answer about the first attempt changes nothing

    TransferProgress.Snapshot done = progress.snapshot(START + 9_000);

    assertThat(done.bytes()).isEqualTo(100);
    assertThat(done.committedObjects()).isEqualTo(1);
    assertThat(done.committedBytes()).isEqualTo(100);
    assertThat(done.restarts()).isEqualTo(1);
    assertThat(done.movingSeconds()).isEqualTo(3.0);
  }

  @Test
  void restartsCountEvenBeforeTheNewAttemptReportsAnything() {
    TransferProgress progress = new TransferProgress(1, 100, START);
    progress.update(new JobTotals(0), 2);

    assertThat(progress.snapshot(START).restarts()).isEqualTo(2);
  }

  @Test
  void nothingCommittedHasNoMovingTime() {
    JobTotals totals = new JobTotals(0);
    totals.accept(chunk("a", 100, START + 1_000, START + 1_500));
    totals.accept(new TransferEvent(Kind.FAILED, false, "a", 100, 100, 0, "boom", START + 1_000, START + 2_000));
    TransferProgress progress = new TransferProgress(1, 100, START);
    progress.update(totals, 0);

    TransferProgress.Snapshot done = progress.snapshot(START + 3_000);

    assertThat(done.lastCommitMillis()).isEqualTo(-1);
    assertThat(done.movingSeconds()).isZero();
    assertThat(done.failures()).extracting(TransferReport.Failure::error).containsExactly("boom");
  }

  @Test
  void failureReasonsAreCappedButEveryFailureIsCounted() {
    JobTotals totals = new JobTotals(0);
    for (int i = 0; i < JobTotals.MAX_FAILURES + 5; i++) {
      totals.accept(new TransferEvent(Kind.FAILED, false, "k" + i, 1, 1, 0, "x", START, START));
    }
    assertThat(totals.failedObjects()).isEqualTo(JobTotals.MAX_FAILURES + 5);
    assertThat(totals.failures()).hasSize(JobTotals.MAX_FAILURES);
  }

  private static TransferEvent chunk(String key, long bytes, long readAt, long writtenAt) {
    return new TransferEvent(Kind.CHUNK, false, key, bytes, bytes, 0, "", readAt, writtenAt);
  }

  private static TransferEvent committed(String key, long bytes, long readAt, long committedAt) {
    return new TransferEvent(Kind.COMMITTED, false, key, bytes, bytes, 0, "", readAt, committedAt);
  }
}
