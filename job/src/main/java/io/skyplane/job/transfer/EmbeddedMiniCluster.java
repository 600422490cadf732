package io.skyplane.job.transfer;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.annotation.Nullable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.util.Reference;

/**
 * The embedded cluster's MiniCluster: its RPC system and actor system are the warmed-up ones when
 * {@link EarlyStart} started them (and they fit), else loaded from the unpacked jar
 * ({@link EmbeddedRpc}); it may be started by another thread before the run asks for it.
 */
final class EmbeddedMiniCluster extends MiniCluster {
  private static final AtomicInteger STARTED = new AtomicInteger();

  private final MiniClusterConfiguration configuration;
  private final Rpc rpc;
  private volatile CompletableFuture<Void> background;

  private EmbeddedMiniCluster(MiniClusterConfiguration configuration, Rpc rpc) {
    super(configuration, rpc::system);
    this.configuration = configuration;
    this.rpc = rpc;
  }

  static EmbeddedMiniCluster create(MiniClusterConfiguration configuration) {
    return new EmbeddedMiniCluster(configuration, new Rpc(configuration.getConfiguration()));
  }

  /** How many embedded clusters this JVM started. */
  static int started() {
    return STARTED.get();
  }

  /** The warmed-up local RPC service when it fits, else a new one (as MiniCluster starts it). */
  @Override
  protected RpcService createLocalRpcService(Configuration conf, RpcSystem system) throws Exception {
    RpcService warm = rpc.takeService(system, conf);
    return warm != null ? warm : super.createLocalRpcService(conf, system);
  }

  /** Marks this cluster as started by another thread, which completes the future returned. */
  CompletableFuture<Void> startsInBackground() {
    CompletableFuture<Void> started = new CompletableFuture<>();
    background = started;
    return started;
  }

  /** Starts the cluster, or waits for its start in the background and throws what that threw. */
  @Override
  public void start() throws Exception {
    CompletableFuture<Void> started = background;
    if (started == null) {
      startNow();
      return;
    }
    try {
      started.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof Exception failure ? failure : new CompletionException(cause);
    }
  }

  void startNow() throws Exception {
    STARTED.incrementAndGet();
    StartupClock.mark("cluster starting");
    super.start();
    StartupClock.mark("cluster started");
  }

  /** Whether a job whose cluster would be {@code wanted} can run here: every setting of this cluster is the job's. */
  boolean fits(MiniClusterConfiguration wanted) {
    if (wanted.getNumTaskManagers() != configuration.getNumTaskManagers()) {
      return false;
    }
    Map<String, String> job = wanted.getConfiguration().toMap();
    return configuration.getConfiguration().toMap().entrySet().stream()
        .allMatch(e -> Objects.equals(job.get(e.getKey()), e.getValue()));
  }

  /** Closes the cluster after its background start, if any, ended. */
  @Override
  public CompletableFuture<Void> closeAsync() {
    CompletableFuture<Void> started = background;
    return started == null
        ? super.closeAsync()
        : started.handle((ok, failed) -> null).thenCompose(ignored -> super.closeAsync());
  }

  /** Where a cluster's RPC system comes from: the warmed-up one if there is one, else the unpacked jar. */
  private static final class Rpc {
    private final Configuration configuration;
    @Nullable private EarlyStart.WarmRpc warm;

    Rpc(Configuration configuration) {
      this.configuration = configuration;
    }

    synchronized Reference<RpcSystem> system() {
      warm = EarlyStart.takeRpc();
      return warm != null ? warm.system() : EmbeddedRpc.load(configuration);
    }

    /** The warmed-up service of {@code system} if {@code conf} shapes it alike; else closes it, null. */
    @Nullable
    synchronized RpcService takeService(RpcSystem system, Configuration conf) {
      EarlyStart.WarmRpc taken = warm;
      warm = null;
      if (taken == null) {
        return null;
      }
      if (taken.fits(system, conf)) {
        return taken.service();
      }
      taken.service().closeAsync();
      return null;
    }
  }
}
