package io.skyplane.job.transfer;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
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
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded Flink cluster of {@code bin/skyplane}: a MiniCluster in this JVM that runs one job
 * and shuts down when the job ends (Flink's local executor submits to it), configured for a
 * transfer: its network memory fits the job and the launcher's direct-memory limit, it keeps no
 * managed memory, it schedules without Flink's batching delays, and its RPC system comes from the
 * jar the build unpacked once ({@link EmbeddedRpc}). A run takes the cluster {@link EarlyStart}
 * started for it when that one's configuration is the job's, else closes it and starts its own.
 *
 * <p>Used only when nothing else provides the environment: under {@code flink run} and in tests
 * with a MiniCluster extension, the context's environment runs the job.
 */
final class EmbeddedCluster {
  /** Flink's network buffers are 32 KiB memory segments, allocated (and zeroed) when the cluster starts. */
  static final long SEGMENT_BYTES = 32 << 10;
  /** Network buffers besides those that grow with the slots (8 MiB). */
  static final long MIN_SEGMENTS = 256;
  /** Direct memory kept for NIO and the HTTP clients besides the network buffers. */
  static final long DIRECT_HEADROOM_BYTES = 64L << 20;
  private static final AtomicReference<MiniCluster> LAST = new AtomicReference<>();

  private EmbeddedCluster() {}

  /** An environment that runs its jobs on an embedded cluster configured from {@code conf}. */
  static StreamExecutionEnvironment environment(Configuration conf) {
    return new StreamExecutionEnvironment(new Executors(), local(conf), EmbeddedCluster.class.getClassLoader());
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
          ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      long limit = Long.parseLong(vm.getVMOption("MaxDirectMemorySize").getValue());
      return limit > 0 ? limit : Runtime.getRuntime().maxMemory();
    } catch (RuntimeException e) {
      return Runtime.getRuntime().maxMemory();
    }
  }

  /** {@code conf} for Flink's local executor. */
  static Configuration local(Configuration conf) {
    Configuration local = new Configuration(conf);
    local.set(DeploymentOptions.TARGET, LocalExecutor.NAME);
    local.set(DeploymentOptions.ATTACHED, true);
    return local;
  }

  /** As Flink's PerJobMiniClusterFactory configures the cluster of a job with {@code conf}. */
  static MiniClusterConfiguration miniClusterConfiguration(Configuration conf) {
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
    EmbeddedMiniCluster ready = EarlyStart.takeCluster();
    if (ready != null && !ready.fits(configuration)) {
      ready.closeAsync();
      ready = null;
    }
    EmbeddedMiniCluster cluster = ready != null ? ready : EmbeddedMiniCluster.create(configuration);
    LAST.set(cluster);
    return cluster;
  }

  /**
   * Waits up to {@code timeout} until the cluster of the last embedded job has stopped: Flink
   * closes it in the background when the job ends, and a client that exits before that leaves the
   * cluster's working directory ({@code minicluster_<id>}) in the temp directory. Closes it if it
   * still runs (a job that never ended); nothing without an embedded job.
   */
  static void awaitClosed(Duration timeout) {
    MiniCluster cluster = LAST.getAndSet(null);
    if (cluster == null) {
      return;
    }
    try {
      cluster.closeAsync().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // it stops slowly or badly: its directory may stay behind, nothing else depends on it
    }
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

}
