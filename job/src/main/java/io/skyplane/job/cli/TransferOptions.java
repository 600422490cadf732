package io.skyplane.job.cli;

import io.skyplane.job.codec.Compression;
import io.skyplane.job.source.SourceTotals;
import java.util.function.LongConsumer;
import io.skyplane.job.transfer.ClusterTarget;
import io.skyplane.job.transfer.TransferReport;
import io.skyplane.job.transfer.TransferRunner;
import io.skyplane.job.transfer.Location;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.job.uri.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import io.skyplane.job.scratch.Scratch;
import javax.annotation.Nullable;
import io.skyplane.job.plan.Route;
import io.skyplane.planner.TransferPlan;
import io.skyplane.planner.cli.OptionRanges;
import io.skyplane.planner.cli.PlanCommandLine;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import picocli.CommandLine.Option;

/** The options every transfer command shares (a picocli mixin). */
final class TransferOptions {
  /** -p/--parallelism: 1..1024. */
  static final int MAX_PARALLELISM = 1024;
  /** --tm-parallelism: 1..256. */
  static final int MAX_TM_PARALLELISM = 256;
  /** --restart-attempts: 0..100. */
  static final int MAX_RESTART_ATTEMPTS = 100;
  /** How long --jobmanager has to answer GET /config. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  static {
    System.setProperty("skyplane.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
  }

  @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "64MiB",
      description = "Bytes per chunk, the unit of parallel reads: 64KiB..1GiB, for a store destination at least its"
          + " smallest part (5MiB on S3, GCS, Azure); an object may have at most 100000 chunks (files) or the store's"
          + " most parts (10000 S3/GCS, 50000 Azure) (default: ${DEFAULT-VALUE}).")
  String chunkSize;

  @Option(names = "--frame-size", paramLabel = "SIZE", defaultValue = "256KiB",
      description = "Bytes per frame, the unit of compression and checksums on the wire and of forwarding at relays,"
          + " 1B..4MiB; a chunk smaller than a frame is one frame (default: ${DEFAULT-VALUE}).")
  String frameSize;

  @Option(names = "--compression", paramLabel = "CODEC", defaultValue = "zstd:1",
      description = "none, zstd or zstd:LEVEL (-7..19), applied before data leaves the source (default: ${DEFAULT-VALUE}).")
  String compression;

  @Option(names = {"-p", "--parallelism"}, paramLabel = "N",
      description = "Parallel readers and writers, 1..1024"
          + " (default: the number of CPU cores, ${sys:skyplane.cores}).")
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

  @Option(names = "--throughput", paramLabel = "RATE",
      description = "--planner min-cost: the rate to reach, 1Mbps..100Tbps, e.g. 10Gbps.")
  String throughput;

  @Option(names = "--max-cost", paramLabel = "USD",
      description = "--planner max-throughput: the budget, above 0 and at most 10^9 USD, e.g. 20USD.")
  String maxCost;

  @Option(names = "--grid", paramLabel = "FILE", description = "--planner: throughput grid (default: the bundled estimate).")
  Path grid;

  @Option(names = "--planner-conf", paramLabel = "DIR",
      description = "--planner: directory with regions.csv, vm-types.csv, egress-prices.csv, throughput-estimate.csv.")
  Path plannerConf;

  @Option(names = "--max-vms-per-region", paramLabel = "N",
      description = "--planner: VM quota per region, 1..1024 (default 8).")
  Integer maxVmsPerRegion;

  @Option(names = "--tm-parallelism", paramLabel = "N", defaultValue = "2",
      description = "With a plan: parallel subtasks per TaskManager of each region, 1..256"
          + " (default: ${DEFAULT-VALUE}).")
  int tmParallelism;

  @Option(names = "--restart-attempts", paramLabel = "N",
      description = "Restarts after a failure such as a lost TaskManager, 0..100 (default: 0 embedded, "
          + TransferRunner.DEFAULT_CLUSTER_RESTARTS + " on a cluster); a restart copies again the objects not yet committed.")
  Integer restartAttempts;

  @Option(names = "--jobmanager", paramLabel = "URL",
      description = "Run on the Flink cluster whose REST API is at URL (e.g. http://10.0.0.5:8081), submitting"
          + " skyplane-job.jar to it, instead of the embedded cluster; no 'flink run' needed. It must answer"
          + " GET /config within 5 s before anything is listed.")
  String jobManager;

  @Option(names = "--test-corrupt-chunk", hidden = true, paramLabel = "KEY#INDEX",
      description = "Test hook: damage one chunk in transit.")
  String corruptChunk = "";

  /** A transfer's spec with its plan's route, and the plan; null without a plan. */
  record Planned(TransferSpec spec, @Nullable TransferPlan plan) {}

  /**
   * Where the job runs: the cluster at --jobmanager, else the one {@code flink run} submits to,
   * else the embedded cluster. IllegalArgumentException for a bad URL, a URL where no Flink REST API
   * answers within {@link #PROBE_TIMEOUT}, or a missing job jar.
   */
  ClusterTarget target() {
    if (jobManager == null) {
      return ClusterTarget.context();
    }
    ClusterTarget.checkRestApi(jobManager, PROBE_TIMEOUT);
    return ClusterTarget.remote(jobManager, jobJar());
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
      SourceTotals objects, @Nullable Set<String> onlyKeys, PrintWriter err) throws InterruptedException {
    try (ProgressPrinter progress = new ProgressPrinter(err, System.console() != null)) {
      return TransferRunner.run(spec, target, source, destination, objects, onlyKeys, jobConfiguration(),
          p -> {
            if (!quiet) {
              progress.start(p);
            }
          });
    }
  }

  /**
   * Where the client's listing reports how many objects it listed so far ({@link
   * SourceTotals#REPORT_EVERY}), on {@code err} unless quiet: a big source takes a while to list.
   */
  LongConsumer listedSoFar(PrintWriter err) {
    return count -> {
      if (!quiet) {
        err.printf("Listing the source: %,d objects so far%n", count);
        err.flush();
      }
    };
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
    TransferPlan plan = Plans.load(this, spec, bytes);
    if (plan == null) {
      return new Planned(spec, null);
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

  /**
   * Checks the options and builds the transfer's spec; throws IllegalArgumentException on bad input
   * (UncheckedIOException when a store destination cannot be opened to ask its part limits).
   */
  TransferSpec spec(Location from, Location to, boolean singleObject) {
    long chunk = ByteSize.parse(chunkSize, "--chunk-size");
    ChunkLimits.ANY.checkChunkSize(chunk, chunkSize);
    long frame = ByteSize.parse(frameSize, "--frame-size");
    if (frame < 1 || frame > TransferSpec.MAX_FRAME_SIZE) {
      throw new IllegalArgumentException("--frame-size must be between 1B and "
          + ByteSize.exact(TransferSpec.MAX_FRAME_SIZE) + ", got '" + frameSize + "'");
    }
    int workers = parallelism == null ? Math.min(Runtime.getRuntime().availableProcessors(), MAX_PARALLELISM)
        : OptionRanges.check("-p/--parallelism", parallelism, 1, MAX_PARALLELISM);
    checkNumbers();
    Compression codec;
    try {
      codec = Compression.parse(compression);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--compression: " + e.getMessage(), e);
    }
    try {
      ChunkLimits.of(to).checkChunkSize(chunk, chunkSize);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String id = Scratch.newRunId();
    // a frame never spans chunks: smaller chunks are one frame each
    return new TransferSpec(id, from, to, singleObject, chunk, (int) Math.min(frame, chunk), codec,
        workers, corruptChunk == null ? "" : corruptChunk);
  }

  /**
   * Range checks of the numeric options that do not depend on the locations (the planner's ones
   * too, so that they fail before anything is listed); IllegalArgumentException naming the option.
   */
  private void checkNumbers() {
    OptionRanges.check("--tm-parallelism", tmParallelism, 1, MAX_TM_PARALLELISM);
    if (restartAttempts != null) {
      OptionRanges.check("--restart-attempts", restartAttempts, 0, MAX_RESTART_ATTEMPTS);
    }
    if (maxVmsPerRegion != null) {
      PlanCommandLine.maxVmsPerRegion(maxVmsPerRegion);
    }
    if (throughput != null) {
      PlanCommandLine.throughputGbps(throughput);
    }
    if (maxCost != null) {
      PlanCommandLine.maxCostUsd(maxCost);
    }
  }
}
