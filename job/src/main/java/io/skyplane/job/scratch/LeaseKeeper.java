package io.skyplane.job.scratch;

import io.skyplane.store.Crc32c;
import io.skyplane.store.ObjectStore;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run's lease when the run starts and again every {@link Lease#HEARTBEAT}, on a daemon
 * thread of its own, until closed. Closing stops the heartbeat and leaves the lease: the run's own
 * sweep deletes it last, after everything else of the run.
 */
public final class LeaseKeeper implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

  private final ObjectStore store;
  private final String key;
  private final ScheduledExecutorService heartbeat;
  private volatile Lease lease;

  private LeaseKeeper(ObjectStore store, Lease lease) {
    this.store = store;
    this.key = Scratch.lease(lease.run());
    this.lease = lease;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "skyplane-lease-" + lease.run());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Writes the lease of {@code run} into {@code store} now (failing if it cannot) and keeps it fresh. */
  public static LeaseKeeper start(ObjectStore store, String run, String destination) throws IOException {
    LeaseKeeper keeper = new LeaseKeeper(store, Lease.ofThisProcess(run, destination, System.currentTimeMillis()));
    keeper.write();
    keeper.schedule();
    return keeper;
  }

  /**
   * Writes a lease that names no process (only its heartbeat tells whether the run lives), once:
   * the client's, before it submits the job, which then takes the lease over. A client that dies
   * right after submitting does not make a live job look dead.
   */
  public static void claim(ObjectStore store, String run, String destination) throws IOException {
    long now = System.currentTimeMillis();
    new LeaseKeeper(store, new Lease(run, Lease.thisHost(), 0, 0, now, now, destination)).writeOnce();
  }

  private void writeOnce() throws IOException {
    try {
      write();
    } finally {
      heartbeat.shutdownNow();
    }
  }

  private void schedule() {
    long period = Lease.HEARTBEAT.toMillis();
    heartbeat.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
  }

  private void beat() {
    lease = lease.beat(System.currentTimeMillis());
    try {
      write();
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot renew the lease of run {} at {}: {}", lease.run(), store.uri(key), e.getMessage());
    }
  }

  private void write() throws IOException {
    byte[] json = lease.toJson();
    store.put(key, json, 0, json.length, Crc32c.of(json, 0, json.length));
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      heartbeat.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
