package io.skyplane.job.cli;

import io.skyplane.job.codec.Compression;
import io.skyplane.job.source.SourceObject;
import io.skyplane.job.transfer.ClusterTarget;
import io.skyplane.job.transfer.TransferReport;
import io.skyplane.job.transfer.TransferRunner;
import io.skyplane.job.transfer.Location;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.job.uri.StoreConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import io.skyplane.job.scratch.Scratch;
import javax.annotation.Nullable;
import io.skyplane.job.plan.Route;
import io.skyplane.planner.TransferPlan;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import picocli.CommandLine.Option;

/** The options every transfer command shares (a picocli mixin). */
final class TransferOptions {
  private static final long MAX_STORE_CHUNK = 1L << 30;

  static {
    System.setProperty("skyplane.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
  }

  @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "64MiB",
      description = "Bytes per chunk, the unit of parallel reads (default: ${DEFAULT-VALUE}).")
  String chunkSize;

  @Option(names = "--frame-size", paramLabel = "SIZE", defaultValue = "256KiB",
      description = "Bytes per frame, the unit of compression and checksums on the wire and of forwarding at relays,"
          + " at most 4MiB (default: ${DEFAULT-VALUE}).")
  String frameSize;

  @Option(names = "--compression", paramLabel = "CODEC", defaultValue = "zstd:1",
      description = "none, zstd or zstd:LEVEL (-7..19), applied before data leaves the source (default: ${DEFAULT-VALUE}).")
  String compression;

  @Option(names = {"-p", "--parallelism"}, paramLabel = "N",
      description = "Parallel readers and writers (default: the number of CPU cores, ${sys:skyplane.cores}).")
  Integer parallelism;

  @Option(names = "--store-config", paramLabel = "FILE",
      description = "Store endpoints and options (Java properties; default: $SKYPLANE_STORE_CONFIG,"
          + " else ~/.skyplane/stores.properties when present). No secrets: see README.")
  Path storeConfig;

  @Option(names = "--json", paramLabel = "FILE", description = "Write a JSON report to FILE ('-' for stdout).")
  String json;

  @Option(names = {"-q", "--quiet"}, description = "No progress line.")
  boolean quiet;

  @Option(names = "--plan", paramLabel = "FILE",
      description = "Run this plan (JSON from 'skyplane plan --json'): operators pinned to the TaskManagers of each"
          + " plan region, chunks split over the plan's paths by their weights.")
  Path planFile;

  @Option(names = "--planner", paramLabel = "KIND",
      description = "Plan now and run the plan: min-cost (needs --throughput), max-throughput (optional --max-cost)"
          + " or direct. Needs the source and destination regions.")
  String planner;

  @Option(names = "--source-region", paramLabel = "REGION",
      description = "Region of SRC for --planner, e.g. aws:us-east-1 (default: an s3 location's configured region).")
  String sourceRegion;

  @Option(names = "--destination-region", paramLabel = "REGION", description = "Region of DST for --planner.")
  String destinationRegion;

  @Option(names = "--throughput", paramLabel = "RATE", description = "--planner min-cost: the rate to reach, e.g. 10Gbps.")
  String throughput;

  @Option(names = "--max-cost", paramLabel = "USD", description = "--planner max-throughput: the budget, e.g. 20USD.")
  String maxCost;

  @Option(names = "--grid", paramLabel = "FILE", description = "--planner: throughput grid (default: the bundled estimate).")
  Path grid;

  @Option(names = "--planner-conf", paramLabel = "DIR",
      description = "--planner: directory with regions.csv, vm-types.csv, egress-prices.csv, throughput-estimate.csv.")
  Path plannerConf;

  @Option(names = "--max-vms-per-region", paramLabel = "N", description = "--planner: VM quota per region (default 8).")
  Integer maxVmsPerRegion;

  @Option(names = "--tm-parallelism", paramLabel = "N", defaultValue = "2",
      description = "With a plan: parallel subtasks per TaskManager of each region (default: ${DEFAULT-VALUE}).")
  int tmParallelism;

  @Option(names = "--restart-attempts", paramLabel = "N",
      description = "Restarts after a failure such as a lost TaskManager (default: 0 embedded, "
          + TransferRunner.DEFAULT_CLUSTER_RESTARTS + " on a cluster); a restart copies again the objects not yet committed.")
  Integer restartAttempts;

  @Option(names = "--jobmanager", paramLabel = "URL",
      description = "Run on the Flink cluster whose REST API is at URL (e.g. http://10.0.0.5:8081), submitting"
          + " skyplane-job.jar to it, instead of the embedded cluster; no 'flink run' needed.")
  String jobManager;

  @Option(names = "--test-corrupt-chunk", hidden = true, paramLabel = "KEY#INDEX",
      description = "Test hook: damage one chunk in transit.")
  String corruptChunk = "";

  /** A transfer's spec with its plan's route, and the plan; null without a plan. */
  record Planned(TransferSpec spec, @Nullable TransferPlan plan) {}

  /**
   * Where the job runs: the cluster at --jobmanager, else the one {@code flink run} submits to,
   * else the embedded cluster. IllegalArgumentException for a bad URL or a missing job jar.
   */
  ClusterTarget target() {
    return jobManager == null ? ClusterTarget.context() : ClusterTarget.remote(jobManager, jobJar());
  }

  /**
   * The jar to submit to a cluster: {@code $SKYPLANE_HOME/job/target/skyplane-job.jar}
   * ({@code skyplane.home}, set by bin/skyplane), else the jar these classes were loaded from.
   */
  static Path jobJar() {
    String home = System.getProperty("skyplane.home");
    if (home != null) {
      return Path.of(home, "job", "target", "skyplane-job.jar");
    }
    try {
      return Path.of(TransferOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return Path.of("skyplane-job.jar");
    }
  }

  /** Runs the transfer on the cluster (or embedded), with a progress line on {@code err} unless quiet. */
  TransferReport run(TransferSpec spec, ClusterTarget target, String source, String destination,
      List<SourceObject> objects, @Nullable Set<String> onlyKeys, PrintWriter err) throws InterruptedException {
    try (ProgressPrinter progress = new ProgressPrinter(err, System.console() != null)) {
      return TransferRunner.run(spec, target, source, destination, objects, onlyKeys, jobConfiguration(),
          p -> {
            if (!quiet) {
              progress.start(p);
            }
          });
    }
  }

  /** Job settings from the options (the restart strategy when given). */
  Configuration jobConfiguration() {
    Configuration conf = new Configuration();
    if (restartAttempts != null) {
      if (restartAttempts == 0) {
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
      } else {
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, restartAttempts);
      }
    }
    return conf;
  }

  /**
   * With --plan or --planner: the plan for moving {@code bytes}, compiled for the job, printed on
   * {@code err} (unless quiet), and checked against the cluster's regions; the spec unchanged
   * without a plan. IllegalArgumentException on bad input or an infeasible goal.
   */
  TransferSpec planned(TransferSpec spec, long bytes, ClusterTarget target, PrintWriter err) {
    return TransferRunner.checkRegions(routed(spec, bytes, err).spec(), target, err);
  }

  /**
   * As {@link #planned} without asking a cluster: the plan, and the spec with its route (for a
   * cluster that does not exist yet).
   */
  Planned routed(TransferSpec spec, long bytes, PrintWriter err) {
    if (restartAttempts != null && restartAttempts < 0) {
      throw new IllegalArgumentException("--restart-attempts must not be negative, got " + restartAttempts);
    }
    TransferPlan plan = Plans.load(this, spec, bytes);
    if (plan == null) {
      return new Planned(spec, null);
    }
    if (tmParallelism <= 0) {
      throw new IllegalArgumentException("--tm-parallelism must be positive, got " + tmParallelism);
    }
    TransferSpec routed = spec.withRoute(Route.of(plan, tmParallelism));
    if (!quiet) {
      err.print(Plans.describe(plan));
      err.flush();
    }
    return new Planned(routed, plan);
  }

  /** Whether --plan or --planner names a plan. */
  boolean hasPlan() {
    return planFile != null || planner != null;
  }

  /** The store configuration: the file given, or the default one; IllegalArgumentException if bad. */
  StoreConfig stores() {
    return StoreConfig.load(storeConfig);
  }

  /** Checks the options and builds the transfer's spec; throws IllegalArgumentException on bad input. */
  TransferSpec spec(Location from, Location to, boolean singleObject) {
    long chunk = ByteSize.parse(chunkSize);
    if (chunk <= 0) {
      throw new IllegalArgumentException("--chunk-size must be positive, got '" + chunkSize + "'");
    }
    long frame = ByteSize.parse(frameSize);
    if (frame <= 0 || frame > TransferSpec.MAX_FRAME_SIZE) {
      throw new IllegalArgumentException("--frame-size must be between 1 and 4MiB, got '" + frameSize + "'");
    }
    int workers = parallelism == null ? Runtime.getRuntime().availableProcessors() : parallelism;
    if (workers <= 0) {
      throw new IllegalArgumentException("--parallelism must be positive, got " + workers);
    }
    Compression codec = Compression.parse(compression);
    String id = Scratch.newRunId();
    if (!to.isLocal() && chunk > MAX_STORE_CHUNK) {
      throw new IllegalArgumentException("--chunk-size must be at most 1GiB for an object store destination"
          + " (a chunk is one part, buffered in memory), got '" + chunkSize + "'");
    }
    return new TransferSpec(id, from, to, singleObject, chunk, (int) frame, codec,
        workers, corruptChunk == null ? "" : corruptChunk);
  }
}
