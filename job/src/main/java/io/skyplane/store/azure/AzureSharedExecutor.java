package io.skyplane.store.azure;

import com.azure.core.util.SharedExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Gives azure-core a JVM-wide executor that no shutdown hook stops.
 *
 * <p>azure-core runs the JDK HTTP client's work (response delivery, the read timeouts of response
 * bodies) and the storage SDK's timed synchronous calls on {@link SharedExecutorService}. The
 * executor azure-core creates for it is shut down by azure-core's own JVM shutdown hook; after
 * that, every HTTP call waits forever for an answer the client can no longer deliver (seen: SIGTERM
 * during a copy into Azure left the main thread and our own shutdown hook, which aborts the
 * uploads, blocked in {@code pending()}). azure-core lets an application set the shared executor;
 * one it did not create is never shut down by it. This one has daemon threads, so it does not keep
 * the JVM alive, and stays usable while shutdown hooks run. It is JVM-wide because azure-core's is.
 */
final class AzureSharedExecutor {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private AzureSharedExecutor() {}

  /** Installs the executor unless it is installed already. Idempotent, thread-safe. */
  static synchronized void install() {
    SharedExecutorService shared = SharedExecutorService.getInstance();
    if (shared.getExecutorService() instanceof Ours) {
      return;
    }
    shared.setExecutorService(new Ours(10 * Runtime.getRuntime().availableProcessors()));
    if (ForkJoinPool.getCommonPoolParallelism() < 2) {
      LoggerFactory.getLogger(AzureSharedExecutor.class).warn("The common fork-join pool has "
          + ForkJoinPool.getCommonPoolParallelism() + " thread: the JDK HTTP client under the Azure "
          + "store then starts a new thread for every response; start this JVM with "
          + "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2 (bin/skyplane and "
          + "taskmanager-bootstrap do)");
    }
  }

  /** The executor, recognisable as ours. */
  static final class Ours extends ScheduledThreadPoolExecutor {
    Ours(int threads) {
      super(threads, task -> {
        Thread thread = new Thread(task, "skyplane-azure-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });
      setKeepAliveTime(60, TimeUnit.SECONDS);
      allowCoreThreadTimeOut(true);
      setRemoveOnCancelPolicy(true);
    }
  }

  /** For tests: whether azure-core's shared executor is ours. */
  static boolean installed() {
    ScheduledExecutorService current = SharedExecutorService.getInstance().getExecutorService();
    return current instanceof Ours;
  }
}
