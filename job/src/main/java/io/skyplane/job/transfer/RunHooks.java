package io.skyplane.job.transfer;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.model.JobTotals;
import io.skyplane.job.report.JobHooks;
import io.skyplane.job.scratch.LeaseKeeper;
import io.skyplane.job.scratch.RunSweeper;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's life inside the job, on the report operator's TaskManager: keeps the run's lease alive
 * from the operator's start; when every object is committed or failed, aborts the journaled
 * uploads of failed objects (a committer's abort may have failed) and removes the run's area, the
 * lease last. A job whose client is gone thus still ends clean.
 */
final class RunHooks implements JobHooks {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RunHooks.class);

  private final TransferSpec spec;
  @Nullable private transient ObjectStore store;
  @Nullable private transient LeaseKeeper lease;

  RunHooks(TransferSpec spec) {
    this.spec = requireNonNull(spec, "spec is null");
  }

  @Override
  public void opened() throws IOException {
    store = ObjectStores.open(spec.destination().store());
    lease = LeaseKeeper.start(store, spec.transferId(), spec.destination().text());
  }

  @Override
  public void finished(JobTotals totals) throws IOException {
    stopLease();
    RunSweeper sweeper = new RunSweeper(store, spec.destination().isLocal() ? spec.destinationStoreRoot() : null);
    // After a restart, earlier attempts' uploads were never completed nor aborted: abort every
    // journaled upload (aborting one that this attempt completed is a no-op). Otherwise only the
    // failed objects' uploads can be open (a committer's abort may itself have failed).
    boolean restarted = totals.attempt() > 0;
    boolean abort = (restarted || totals.failedObjects() > 0) && !spec.destination().isLocal();
    RunSweeper.Result result = sweeper.sweep(spec.transferId(), abort,
        restarted ? key -> true : failedKeys(totals));
    if (!result.clean()) {
      LOG.warn("run {}: {} leftovers could not be removed: {}", spec.transferId(), result.leftovers().size(),
          result.leftovers());
    }
  }

  /** The destination keys of the failed objects, when all of them are known; else every key. */
  private Predicate<String> failedKeys(JobTotals totals) {
    List<JobTotals.Failure> failures = totals.failures();
    if (failures.size() < totals.failedObjects()) {
      return key -> true;
    }
    Set<String> keys = new HashSet<>();
    failures.forEach(f -> keys.add(spec.destinationKey(f.key())));
    return keys::contains;
  }

  @Override
  public void closed() {
    stopLease();
    if (store != null) {
      try {
        store.close();
      } catch (IOException e) {
        LOG.debug("closing the destination store", e);
      }
      store = null;
    }
  }

  private void stopLease() {
    if (lease != null) {
      lease.close();
      lease = null;
    }
  }
}
