package io.skyplane.job.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.job.model.TransferEvent;
import io.skyplane.job.model.TransferEvent.Kind;
import org.junit.jupiter.api.Test;

class TransferProgressTest {
  private static final long START = 1_000_000L;

  @Test
  void movingTimeRunsFromFirstReadToLastCommit() {
    TransferProgress progress = new TransferProgress(2, 300, START);
    progress.accept(chunk("a", 100, START + 2_000, START + 2_500));
    progress.accept(chunk("a", 100, START + 2_100, START + 2_900));
    progress.accept(committed("a", 200, START + 2_000, START + 4_000));
    progress.accept(new TransferEvent(Kind.COMMITTED, true, "b", 100, 100, 0, "", START + 3_000, START + 6_500));

    TransferProgress.Snapshot done = progress.snapshot(START + 9_000);

    assertThat(done.firstReadMillis()).isEqualTo(2_000);
    assertThat(done.lastCommitMillis()).isEqualTo(6_500);
    assertThat(done.movingSeconds()).isEqualTo(4.5);
    assertThat(done.elapsedMillis()).isEqualTo(9_000);
  }

  @Test
  void aCommitRepeatedAfterARestartCountsOnceAndDoesNotStretchTheTime() {
    TransferProgress progress = new TransferProgress(1, 100, START);
    progress.accept(new TransferEvent(Kind.COMMITTED, true, "a", 100, 100, 0, "", START + 1_000, START + 2_000));
    progress.accept(new TransferEvent(Kind.COMMITTED, true, "a", 100, 100, 0, "", START + 5_000, START + 8_000));

    TransferProgress.Snapshot done = progress.snapshot(START + 9_000);

    assertThat(done.committedObjects()).isEqualTo(1);
    assertThat(done.committedBytes()).isEqualTo(100);
    assertThat(done.movingSeconds()).isEqualTo(1.0);
  }

  @Test
  void nothingCommittedHasNoMovingTime() {
    TransferProgress progress = new TransferProgress(1, 100, START);
    progress.accept(chunk("a", 100, START + 1_000, START + 1_500));
    progress.accept(new TransferEvent(Kind.FAILED, false, "a", 100, 100, 0, "boom", START + 1_000, START + 2_000));

    TransferProgress.Snapshot done = progress.snapshot(START + 3_000);

    assertThat(done.lastCommitMillis()).isEqualTo(-1);
    assertThat(done.movingSeconds()).isZero();
  }

  private static TransferEvent chunk(String key, long bytes, long readAt, long writtenAt) {
    return new TransferEvent(Kind.CHUNK, false, key, bytes, bytes, 0, "", readAt, writtenAt);
  }

  private static TransferEvent committed(String key, long bytes, long readAt, long committedAt) {
    return new TransferEvent(Kind.COMMITTED, false, key, bytes, bytes, 0, "", readAt, committedAt);
  }
}
