package io.skyplane.job.transfer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.client.deployment.executors.LocalExecutor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ResourceManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Reference;
import org.slf4j.LoggerFactory;

/**
 * The embedded Flink cluster of {@code bin/skyplane}: a MiniCluster in this JVM that runs one job
 * and shuts down when the job ends (Flink's local executor submits to it), configured for a
 * transfer: its network memory fits the job and the launcher's direct-memory limit, it keeps no
 * managed memory, it schedules without Flink's batching delays, and its RPC system comes from the
 * jar the build unpacked once ({@link EmbeddedRpc}).
 *
 * <p>The CLI may {@link #prestart} the cluster as soon as it knows the settings, so that it starts
 * while the source is listed; the run then takes that cluster if it was started with the same
 * configuration, else closes it and starts its own.
 *
 * <p>Used only when nothing else provides the environment: under {@code flink run} and in tests
 * with a MiniCluster extension, the context's environment runs the job.
 */
public final class EmbeddedCluster {
  /**
   * Set (to true) by bin/skyplane: this JVM runs the CLI alone, with no {@code flink run} or test
   * context around it, so an embedded run will be on this class's cluster and may
   * {@link #prestart} it.
   */
  public static final String LAUNCHER_PROPERTY = "skyplane.launcher";
  /** Flink's network buffers are 32 KiB memory segments, allocated (and zeroed) when the cluster starts. */
  static final long SEGMENT_BYTES = 32 << 10;
  /** Network buffers besides those that grow with the slots (8 MiB). */
  static final long MIN_SEGMENTS = 256;
  /** Direct memory kept for NIO and the HTTP clients besides the network buffers. */
  static final long DIRECT_HEADROOM_BYTES = 64L << 20;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final AtomicReference<CompletableFuture<Cluster>> PRESTARTED = new AtomicReference<>();
  private static final AtomicReference<CompletableFuture<WarmRpc>> WARM_RPC = new AtomicReference<>();
  private static final java.util.concurrent.atomic.AtomicInteger STARTED = new java.util.concurrent.atomic.AtomicInteger();
  /** Configuration prefixes that shape the local RPC service; a cluster that sets them otherwise starts its own. */
  private static final List<String> RPC_PREFIXES = List.of("pekko.", "akka.", "rpc.", "security.ssl.");

  private EmbeddedCluster() {}

  /** An environment that runs its jobs on an embedded cluster configured from {@code conf}. */
  static StreamExecutionEnvironment environment(Configuration conf) {
    return new StreamExecutionEnvironment(new Executors(), local(conf), EmbeddedCluster.class.getClassLoader());
  }

  /**
   * Starts, in the background, what every embedded cluster starts first and what depends on no
   * setting of the transfer: the RPC system and its local actor system (half a second on 2 cores).
   * The next embedded cluster takes them; {@link #discardPrestarted} stops them when none does.
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
        LoggerFactory.getLogger(EmbeddedCluster.class)
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
   * Starts, in the background, the embedded cluster that a job with the configuration
   * {@code conf} supplies (from {@link TransferRunner#configuration}) will run on; a cluster
   * prestarted earlier and not taken is closed. Everything, the configuration included, happens on
   * a thread of its own; a failure is thrown by the run that takes the cluster.
   */
  public static void prestart(Supplier<Configuration> conf) {
    CompletableFuture<Cluster> created = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      Cluster cluster;
      try {
        cluster = Cluster.create(miniClusterConfiguration(local(conf.get())));
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
    CompletableFuture<Cluster> earlier = PRESTARTED.getAndSet(created);
    if (earlier != null) {
      earlier.thenAccept(Cluster::closeAsync);
    }
  }

  /**
   * Closes the prestarted cluster that no run took (bad input found after it was started), waiting
   * up to 10 s for it to stop (it has directories in the temp directory to remove), and stops the
   * warmed-up RPC service without waiting; nothing when there is neither.
   */
  public static void discardPrestarted() {
    CompletableFuture<Cluster> created = PRESTARTED.getAndSet(null);
    if (created != null) {
      await(created.thenCompose(Cluster::closeAsync));
    }
    CompletableFuture<WarmRpc> warm = WARM_RPC.getAndSet(null);
    if (warm != null) {
      // not awaited: it holds no file, and a client that found bad input exits at once
      warm.thenCompose(WarmRpc::closeAsync);
    }
  }

  /** How many embedded clusters this JVM started. */
  static int clustersStarted() {
    return STARTED.get();
  }

  /** Whether no prestarted cluster and no warmed-up RPC service waits for a run. */
  static boolean idle() {
    return PRESTARTED.get() == null && WARM_RPC.get() == null;
  }

  private static void await(CompletableFuture<?> closed) {
    try {
      closed.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // it failed to start or stops slowly: nothing of the transfer depends on it
    }
  }

  /**
   * The embedded TaskManager's memory and scheduling, for {@code slots} slots: network buffers as
   * {@link #networkBytes} says (within the JVM's direct memory), no managed memory (no operator of
   * a transfer sorts or keeps RocksDB state; Flink's default reserves 128 MiB), and no batching
   * delay for slot requests (Flink waits 20 ms and 50 ms for more requests on a real cluster). Task
   * heap and off-heap stay Flink's local defaults: in one JVM they are only accounting, the JVM's
   * heap (-Xmx, set by the launcher) is what all tasks share.
   */
  static void configure(Configuration conf, int slots) {
    MemorySize network = new MemorySize(
        Math.max(MIN_SEGMENTS * SEGMENT_BYTES, Math.min(networkBytes(slots), maxDirectBytes() - DIRECT_HEADROOM_BYTES)));
    conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, network);
    conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, network);
    conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ZERO);
    conf.set(JobManagerOptions.SLOT_REQUEST_MAX_INTERVAL, Duration.ZERO);
    conf.set(ResourceManagerOptions.REQUIREMENTS_CHECK_DELAY, Duration.ZERO);
  }

  /**
   * Network memory for {@code slots} subtasks: {@code 256 + 16 x slots + slots^2 / 2} segments of
   * 32 KiB. The need grows with the square of the parallelism (every subtask of an all-to-all
   * exchange holds buffers for each channel); measured on the embedded cluster (-p P runs 2P
   * slots), a copy needed at most 11 MiB at -p 8, 23 MiB at -p 16, 71 MiB at -p 32 and 271 MiB
   * at -p 64, and this gives 20, 40, 104 and 328 MiB (Flink's default, 64 MiB, failed at -p 32).
   * -p 2 takes 10 MiB. bin/skyplane sizes -XX:MaxDirectMemorySize with the same formula.
   */
  static long networkBytes(int slots) {
    long n = Math.max(1, slots);
    return (MIN_SEGMENTS + 16 * n + n * n / 2) * SEGMENT_BYTES;
  }

  /** The JVM's direct-memory limit: -XX:MaxDirectMemorySize, else (as the JVM does) the heap's maximum. */
  static long maxDirectBytes() {
    try {
      com.sun.management.HotSpotDiagnosticMXBean vm =
          java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      long limit = Long.parseLong(vm.getVMOption("MaxDirectMemorySize").getValue());
      return limit > 0 ? limit : Runtime.getRuntime().maxMemory();
    } catch (RuntimeException e) {
      return Runtime.getRuntime().maxMemory();
    }
  }

  private static Configuration local(Configuration conf) {
    Configuration local = new Configuration(conf);
    local.set(DeploymentOptions.TARGET, LocalExecutor.NAME);
    local.set(DeploymentOptions.ATTACHED, true);
    return local;
  }

  /** As Flink's PerJobMiniClusterFactory configures the cluster of a job with {@code conf}. */
  private static MiniClusterConfiguration miniClusterConfiguration(Configuration conf) {
    Configuration cluster = new Configuration(conf);
    if (!cluster.contains(RestOptions.BIND_PORT)) {
      cluster.set(RestOptions.BIND_PORT, "0");
    }
    return new MiniClusterConfiguration.Builder()
        .setConfiguration(cluster)
        .setNumTaskManagers(cluster.get(TaskManagerOptions.MINI_CLUSTER_NUM_TASK_MANAGERS))
        .setRpcServiceSharing(RpcServiceSharing.SHARED)
        .setNumSlotsPerTaskManager(cluster.get(TaskManagerOptions.NUM_TASK_SLOTS))
        .build();
  }

  /** The cluster for a job: the prestarted one if it fits the job's configuration, else a new one. */
  private static MiniCluster miniCluster(MiniClusterConfiguration configuration) {
    CompletableFuture<Cluster> created = PRESTARTED.getAndSet(null);
    if (created != null) {
      Cluster ready = created.handle((cluster, failed) -> cluster).join();
      if (ready != null) {
        if (ready.fits(configuration)) {
          return ready;
        }
        ready.closeAsync();
      }
    }
    return Cluster.create(configuration);
  }

  /** Finds the one executor this environment uses: Flink's local executor on our MiniCluster. */
  private static final class Executors implements PipelineExecutorServiceLoader, PipelineExecutorFactory {
    @Override
    public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
      return this;
    }

    @Override
    public Stream<String> getExecutorNames() {
      return Stream.of(LocalExecutor.NAME);
    }

    @Override
    public String getName() {
      return LocalExecutor.NAME;
    }

    @Override
    public boolean isCompatibleWith(Configuration configuration) {
      return true;
    }

    @Override
    public PipelineExecutor getExecutor(Configuration configuration) {
      return LocalExecutor.createWithFactory(configuration, EmbeddedCluster::miniCluster);
    }
  }

  /** The settings of {@code conf} that shape the local RPC service. */
  private static Map<String, String> rpcSettings(Configuration conf) {
    Map<String, String> settings = new java.util.TreeMap<>(conf.toMap());
    settings.keySet().removeIf(key -> RPC_PREFIXES.stream().noneMatch(key::startsWith));
    return settings;
  }

  /** The RPC system and its started local service, from {@link #warmUp} with {@code conf}. */
  private record WarmRpc(Reference<RpcSystem> system, RpcService service, Configuration conf) {
    CompletableFuture<Void> closeAsync() {
      return service.closeAsync().whenComplete((ok, failed) -> system.owned().ifPresent(RpcSystem::close));
    }
  }

  /** Where a cluster's RPC system comes from: the warmed-up one if there is one, else the unpacked jar. */
  private static final class Rpc {
    private final Configuration configuration;
    private WarmRpc warm;

    Rpc(Configuration configuration) {
      this.configuration = configuration;
    }

    synchronized Reference<RpcSystem> system() {
      CompletableFuture<WarmRpc> started = WARM_RPC.getAndSet(null);
      warm = started == null ? null : started.handle((ready, failed) -> ready).join();
      return warm != null ? warm.system() : EmbeddedRpc.load(configuration);
    }

    /** The warmed-up service of {@code system} if {@code conf} shapes it alike; else closes it, null. */
    synchronized RpcService takeService(RpcSystem system, Configuration conf) {
      WarmRpc taken = warm;
      warm = null;
      if (taken == null) {
        return null;
      }
      boolean fits = taken.system().deref() == system && rpcSettings(conf).equals(rpcSettings(taken.conf()));
      if (fits) {
        return taken.service();
      }
      taken.service().closeAsync();
      return null;
    }
  }

  /** A MiniCluster with the RPC system from the unpacked jar, which may have started in the background. */
  private static final class Cluster extends MiniCluster {
    private final MiniClusterConfiguration configuration;
    private final Rpc rpc;
    private volatile CompletableFuture<Void> background;

    private Cluster(MiniClusterConfiguration configuration, Rpc rpc) {
      super(configuration, rpc::system);
      this.configuration = configuration;
      this.rpc = rpc;
    }

    static Cluster create(MiniClusterConfiguration configuration) {
      return new Cluster(configuration, new Rpc(configuration.getConfiguration()));
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

    private void startNow() throws Exception {
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
  }
}
