package io.skyplane.job.transfer;

import io.skyplane.job.scratch.LeaseKeeper;
import io.skyplane.job.scratch.RunSweeper;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import java.io.IOException;
import java.util.List;

/**
 * The client's side of the run's area in the destination (see {@link io.skyplane.job.scratch}):
 * before the job, removes what dead runs left and claims the lease; after it, sweeps the run's own
 * area (aborting its journaled uploads when the job did not end normally).
 */
final class RunArea {
  private RunArea() {}

  /**
   * Removes the leftovers of dead earlier runs (never a live run's) and claims this run's lease.
   * Throws when the lease cannot be written (the destination is not writable).
   */
  static RunSweeper.Result prepare(TransferSpec spec) throws IOException {
    if (spec.destination().isLocal()) {
      java.nio.file.Files.createDirectories(spec.destinationStoreRoot()); // a single file's new directory
    }
    try (ObjectStore store = ObjectStores.open(spec.destination().store())) {
      RunSweeper.Result earlier;
      try {
        earlier = sweeper(spec, store).sweepDead(spec.transferId(), System.currentTimeMillis());
      } catch (IOException | RuntimeException e) {
        earlier = new RunSweeper.Result(0, 0, List.of("cannot look for earlier runs' leftovers in "
            + spec.destination().text() + ": " + e.getMessage()));
      }
      LeaseKeeper.claim(store, spec.transferId(), spec.destination().text());
      return earlier;
    }
  }

  /** Sweeps this run's area; {@code abort}: also aborts every upload it journaled. */
  static RunSweeper.Result finish(TransferSpec spec, boolean abort) {
    try (ObjectStore store = ObjectStores.open(spec.destination().store())) {
      return sweeper(spec, store).sweep(spec.transferId(), abort && !spec.destination().isLocal(), key -> true);
    } catch (IOException | RuntimeException e) {
      return new RunSweeper.Result(0, 0, List.of("cannot sweep the run's area in " + spec.destination().text()
          + ": " + e.getMessage()));
    }
  }

  private static RunSweeper sweeper(TransferSpec spec, ObjectStore store) {
    return new RunSweeper(store, spec.destination().isLocal() ? spec.destinationStoreRoot() : null);
  }
}
