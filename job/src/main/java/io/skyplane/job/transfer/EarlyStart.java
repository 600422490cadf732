package io.skyplane.job.transfer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcUtils;
import org.apache.flink.util.Reference;
import org.slf4j.LoggerFactory;

/**
 * Starting the embedded cluster before the run asks for it, beside the CLI's own work (parsing
 * options, loading Flink, listing the source): {@link #warmUp} starts the RPC system and its actor
 * system from the JVM's first moment (they depend on no setting of the transfer), {@link #prestart}
 * the whole cluster once the settings are known. The run takes what fits its configuration
 * ({@link EmbeddedCluster}); {@link #discard} stops what no run took. Only bin/skyplane's JVM does
 * this ({@link #LAUNCHER_PROPERTY}): under {@code flink run} or in a test the context's environment
 * runs the job and nothing would take it.
 */
public final class EarlyStart {
  /**
   * Set (to true) by bin/skyplane: this JVM runs the CLI alone, with no {@code flink run} or test
   * context around it, so an embedded run will be on an {@link EmbeddedCluster} that may start early.
   */
  public static final String LAUNCHER_PROPERTY = "skyplane.launcher";
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  /** Configuration prefixes that shape the local RPC service. */
  private static final List<String> RPC_PREFIXES = List.of("pekko.", "akka.", "rpc.", "security.ssl.");
  private static final AtomicReference<CompletableFuture<EmbeddedMiniCluster>> PRESTARTED = new AtomicReference<>();
  private static final AtomicReference<CompletableFuture<WarmRpc>> WARM_RPC = new AtomicReference<>();

  private EarlyStart() {}

  /** The RPC system and its started local service, started with {@code conf}. */
  record WarmRpc(Reference<RpcSystem> system, RpcService service, Configuration conf) {
    CompletableFuture<Void> closeAsync() {
      return service.closeAsync().whenComplete((ok, failed) -> system.owned().ifPresent(RpcSystem::close));
    }

    /** Whether a cluster of {@code system} configured with {@code wanted} would start this service alike. */
    boolean fits(RpcSystem wantedSystem, Configuration wanted) {
      return system.deref() == wantedSystem && rpcSettings(wanted).equals(rpcSettings(conf));
    }
  }

  /**
   * Starts, in the background, what every embedded cluster starts first and what depends on no
   * setting of the transfer: the RPC system and its local actor system (half a second on 2 cores).
   * The next embedded cluster takes them.
   */
  public static void warmUp() {
    CompletableFuture<WarmRpc> warm = new CompletableFuture<>();
    if (!WARM_RPC.compareAndSet(null, warm)) {
      return;
    }
    Thread thread = new Thread(() -> {
      Reference<RpcSystem> system = null;
      try {
        // what a MiniCluster of the default settings starts its RPC service with
        Configuration defaults = new MiniClusterConfiguration.Builder().build().getConfiguration();
        system = EmbeddedRpc.load(defaults);
        RpcService service = system.deref().localServiceBuilder(defaults)
            .withExecutorConfiguration(RpcUtils.getTestForkJoinExecutorConfiguration())
            .createAndStart();
        warm.complete(new WarmRpc(system, service, defaults));
      } catch (Throwable e) {
        // a logger only here: loading logging costs a client that exits on bad input ~0.2 s
        LoggerFactory.getLogger(EarlyStart.class)
            .info("Could not start the RPC service ahead of the cluster (the cluster starts its own)", e);
        if (system != null) {
          system.owned().ifPresent(RpcSystem::close);
        }
        warm.completeExceptionally(e);
      }
    }, "skyplane-rpc-start");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Starts, in the background, the embedded cluster that a job with the configuration {@code conf}
   * supplies (from {@link TransferRunner#configuration}) will run on; a cluster prestarted earlier
   * and not taken is closed. Everything, the configuration included, happens on a thread of its
   * own; a failure is thrown by the run that takes the cluster.
   */
  public static void prestart(Supplier<Configuration> conf) {
    CompletableFuture<EmbeddedMiniCluster> created = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      EmbeddedMiniCluster cluster;
      try {
        cluster = EmbeddedMiniCluster.create(EmbeddedCluster.miniClusterConfiguration(EmbeddedCluster.local(conf.get())));
      } catch (Throwable e) {
        created.completeExceptionally(e);
        return;
      }
      CompletableFuture<Void> started = cluster.startsInBackground();
      created.complete(cluster);
      try {
        cluster.startNow();
        started.complete(null);
      } catch (Throwable e) {
        started.completeExceptionally(e);
      }
    }, "skyplane-cluster-start");
    thread.setDaemon(true);
    thread.start();
    CompletableFuture<EmbeddedMiniCluster> earlier = PRESTARTED.getAndSet(created);
    if (earlier != null) {
      earlier.thenAccept(EmbeddedMiniCluster::closeAsync);
    }
  }

  /**
   * Closes the prestarted cluster that no run took (bad input found after it was started), waiting
   * up to 10 s for it to stop (it has directories in the temp directory to remove), and stops the
   * warmed-up RPC service without waiting; nothing when there is neither.
   */
  public static void discard() {
    CompletableFuture<EmbeddedMiniCluster> created = PRESTARTED.getAndSet(null);
    if (created != null) {
      try {
        created.thenCompose(EmbeddedMiniCluster::closeAsync).get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // it failed to start or stops slowly: nothing of the transfer depends on it
      }
    }
    CompletableFuture<WarmRpc> warm = WARM_RPC.getAndSet(null);
    if (warm != null) {
      // not awaited: it holds no file, and a client that found bad input exits at once
      warm.thenCompose(WarmRpc::closeAsync);
    }
  }

  /** The prestarted cluster (once it exists; its start may still run), or null; nobody else gets it. */
  @Nullable
  static EmbeddedMiniCluster takeCluster() {
    CompletableFuture<EmbeddedMiniCluster> created = PRESTARTED.getAndSet(null);
    return created == null ? null : created.handle((cluster, failed) -> cluster).join();
  }

  /** The warmed-up RPC service (once it started), or null; nobody else gets it. */
  @Nullable
  static WarmRpc takeRpc() {
    CompletableFuture<WarmRpc> started = WARM_RPC.getAndSet(null);
    return started == null ? null : started.handle((ready, failed) -> ready).join();
  }

  /** Whether no prestarted cluster and no warmed-up RPC service waits for a run. */
  static boolean idle() {
    return PRESTARTED.get() == null && WARM_RPC.get() == null;
  }

  private static Map<String, String> rpcSettings(Configuration conf) {
    Map<String, String> settings = new TreeMap<>(conf.toMap());
    settings.keySet().removeIf(key -> RPC_PREFIXES.stream().noneMatch(key::startsWith));
    return settings;
  }
}
