package io.skyplane.job.transfer;

import io.skyplane.job.report.JobReport;
import io.skyplane.job.report.StoreRetries;
import io.skyplane.store.RetryCounts;
import io.skyplane.job.scratch.RunSweeper;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import io.skyplane.job.source.SourceListing;
import java.io.IOException;
import java.util.stream.Collectors;
import io.skyplane.job.source.SourceObject;
import io.skyplane.job.source.SourceTotals;
import java.util.ArrayList;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;
import java.util.function.Consumer;
import io.skyplane.job.plan.ClusterRegions;
import io.skyplane.job.plan.Route;
import java.net.URI;
import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ExternalResourceOptions;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a transfer: lists the source (so that bad input fails before anything is written), runs the
 * Flink job on the cluster the client was started against ({@code flink run}) or on an embedded
 * MiniCluster, follows the job's events, and returns the report. A job that fails leaves no
 * temporary file behind.
 *
 * <p>Runtime mode: STREAMING over a bounded source. Every exchange is pipelined, so a chunk is on
 * its way to the destination while later chunks are still read, and each hop holds only a few
 * network buffers per channel. BATCH mode's default blocking shuffle would spool every stage's
 * whole output to local disk before the next stage starts.
 */
public final class TransferRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TransferRunner.class);
  private static final long CANCEL_TIMEOUT_SECONDS = 4;
  /** How long Ctrl-C or SIGTERM may take to cancel the job and sweep its area: the client exits after it. */
  static final Duration SHUTDOWN_BUDGET = Duration.ofSeconds(8);
  /** How often the client asks the running job for its progress. */
  static final long POLL_MILLIS = 400;
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(5);
  /** How long a run waits for its embedded cluster to stop (and remove its directories). */
  private static final Duration CLUSTER_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  /** Restarts of a job on a cluster before it fails (a lost TaskManager costs one or two). */
  public static final int DEFAULT_CLUSTER_RESTARTS = 6;
  private TransferRunner() {}

  /**
   * Lists the source (all of it, or only {@code onlyKeys}) into memory: for tests and sync (the
   * copy command streams it, {@link SourceTotals#scan}); throws naming the unreadable path, the
   * missing bucket or the refused credentials.
   */
  public static List<SourceObject> list(TransferSpec spec, @Nullable Set<String> onlyKeys) throws IOException {
    return SourceListing.listAll(spec, onlyKeys);
  }

  /**
   * Runs the transfer of the listed objects (all of the source, or only {@code onlyKeys}; {@code
   * objects} are their totals as the client listed them) on {@code target}; {@code onStart} receives the progress the runner will update, before the job
   * starts.
   */
  public static TransferReport run(
      TransferSpec requested,
      ClusterTarget target,
      String source,
      String destination,
      SourceTotals objects,
      @Nullable Set<String> onlyKeys,
      Configuration overrides,
      Consumer<TransferProgress> onStart) {
    long start = System.currentTimeMillis();
    TransferProgress progress = new TransferProgress(objects.objects(), objects.bytes(), start);
    onStart.accept(progress);

    boolean embedded = target.embedded();
    TransferSpec spec = embedded && requested.route() != null
        ? requested.withRoute(embeddedRoute(requested.route(), requested.parallelism()))
        : requested;
    StreamExecutionEnvironment env = target.environment(configuration(spec, overrides, embedded));
    String error = "";
    String at = spec.route() == null ? "" : " @" + spec.route().destination();
    JobReport.attach(TransferJob.build(env, spec, onlyKeys), null, at, new RunHooks(spec));
    StartupClock.mark("job built");
    RunSweeper.Result earlier = RunSweeper.Result.empty();
    JobExecutionResult result = null;
    // Interrupted (Ctrl-C, SIGTERM), from the moment the run claims its area: cancel the job (once
    // submitted), then sweep the run's area.
    AtomicReference<JobClient> submitted = new AtomicReference<>();
    try (ShutdownSteps.Step cleanup = ShutdownSteps.add("cancel the job and remove its leftovers",
        cancelAndClean(submitted, spec), SHUTDOWN_BUDGET)) {
      earlier = RunArea.prepare(spec);
      JobClient job = env.executeAsync("skyplane cp " + source + " -> " + destination);
      StartupClock.mark("job submitted");
      submitted.set(job);
      result = follow(job, progress);
    } catch (Exception e) {
      error = rootMessage(e);
    }
    // After a normal end the job removed its own area; after a failure its uploads may be open.
    RunSweeper.Result own = RunArea.finish(spec, !error.isEmpty());
    if (embedded) {
      EmbeddedCluster.awaitClosed(CLUSTER_CLOSE_TIMEOUT);
    }
    List<String> leftovers = new ArrayList<>(earlier.leftovers());
    leftovers.addAll(own.leftovers());
    TransferProgress.Snapshot done = progress.snapshot(System.currentTimeMillis());
    List<TransferReport.Failure> failures = new ArrayList<>(done.failures());
    long committedObjects = done.committedObjects();
    long committedBytes = done.committedBytes();
    if (!error.isEmpty()) {
      // The job's last commits may have come after the client's last poll (a lost JobManager):
      // count what the destination holds as this run put it.
      try {
        Reconcile.Found found = Reconcile.committed(spec, onlyKeys, objects.objects(), start);
        if (found.objects() > committedObjects) {
          committedObjects = found.objects();
          committedBytes = found.bytes();
        }
      } catch (IOException | RuntimeException e) {
        // the destination cannot be listed now: the job's own count stands
      }
    }
    long accounted = done.committedObjects() + done.failedObjects();
    if (error.isEmpty() && accounted != objects.objects()) {
      error = "the job reported " + accounted + " of " + objects.objects() + " objects";
    }
    String status = !error.isEmpty() ? "error" : done.failedObjects() > 0 ? "failed" : "succeeded";
    double seconds = done.elapsedMillis() / 1000.0;
    double startup = Math.max(0, done.firstReadMillis()) / 1000.0;
    long firstReadAtMillis = done.firstReadMillis() < 0 ? -1 : start + done.firstReadMillis();
    Double sinceProcessStart = firstReadAtMillis < 0
        ? null
        : (firstReadAtMillis - StartupClock.originMillis()) / 1000.0;
    LOG.info("start-up: {}", StartupClock.describe(firstReadAtMillis));
    double transfer = Math.max(0, seconds - startup);
    return new TransferReport(
        spec.transferId(), source, destination, status, objects.objects(), committedObjects,
        done.failedObjects(), committedBytes, done.wireBytes(),
        done.wireBytes() == 0 ? 1.0 : (double) done.bytes() / done.wireBytes(),
        seconds, seconds <= 0 ? 0 : done.committedBytes() / seconds,
        startup, sinceProcessStart, transfer, transfer <= 0 ? 0 : done.committedBytes() / transfer,
        done.firstWriteMillis() / 1000.0, done.lastReadMillis() / 1000.0, done.movingSeconds(),
        new TransferReport.Settings(spec.chunkSize(), spec.compression().toString(),
            spec.parallelism(), RuntimeExecutionMode.STREAMING.name()),
        failures, own.uploadsAborted(), leftovers, earlier.uploadsAborted() + earlier.objectsDeleted(), error,
        spec.route() == null ? null : PlanReports.of(spec.route(), result, done.committedBytes(),
            done.movingSeconds() > 0 ? done.movingSeconds() : transfer),
        done.restarts(), retries(result));
  }

  /**
   * Before anything is written: with a plan on a cluster, checks that every region of the plan has
   * a TaskManager (IllegalArgumentException naming the missing regions, or an unreachable cluster),
   * and fits each region's parallelism to its TaskManagers on the cluster {@code target}.
   */
  public static TransferSpec checkRegions(TransferSpec spec, ClusterTarget target, PrintWriter err) {
    if (spec.route() == null || target.embedded()) {
      return spec; // the embedded cluster is started with every region of the plan
    }
    URI rest = target.rest();
    Map<String, List<String>> taskManagers;
    try {
      taskManagers = ClusterRegions.taskManagers(rest);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot ask the cluster at " + rest + " for its TaskManagers: "
          + e.getMessage(), e);
    }
    ClusterRegions.check(spec.route(), taskManagers, rest.toString());
    int perTaskManager = spec.route().perTaskManager();
    return spec.withRoute(ClusterRegions.fit(spec.route(), taskManagers, perTaskManager,
        warning -> err.println("skyplane: warning: " + warning)));
  }

  /**
   * On the embedded cluster (one machine) every region runs at most {@code parallelism} subtasks
   * ({@code -p}, default: the cores), whatever TaskManagers the plan gives it.
   */
  static Route embeddedRoute(Route route, int parallelism) {
    Map<String, Integer> capped = new java.util.LinkedHashMap<>();
    route.parallelism().forEach((region, p) -> capped.put(region, Math.min(p, parallelism)));
    return route.withParallelism(capped);
  }

  static Configuration configuration(TransferSpec spec, Configuration overrides, boolean embedded) {
    return configuration(spec.parallelism(), spec.route(), overrides, embedded);
  }

  /**
   * The configuration of a job of {@code parallelism} (and {@code route}, or null) with the CLI's
   * {@code overrides}, on an embedded cluster or on a cluster; an embedded cluster is configured
   * from it too (slots, memory, the plan's regions).
   */
  public static Configuration configuration(int parallelism, @Nullable Route route, Configuration overrides,
      boolean embedded) {
    Configuration conf = new Configuration();
    conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    if (embedded) {
      // one process: a failure would only repeat; report it at once
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    } else {
      // a cluster can lose a TaskManager: restart (the whole pipelined job) on the ones left
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(15));
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, DEFAULT_CLUSTER_RESTARTS);
    }
    conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
    // Embedded MiniCluster only (a cluster keeps its own): one slot per task of each group.
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 2 * parallelism);
    if (route != null && embedded) {
      // The embedded TaskManager stands for every region of the plan.
      int slots = 0;
      for (String region : route.regions()) {
        slots += route.parallelismOf(region);
      }
      advertiseRegions(conf, route.regions(), slots);
    }
    if (embedded) {
      EmbeddedCluster.configure(conf, conf.get(TaskManagerOptions.NUM_TASK_SLOTS));
    }
    conf.addAll(overrides);
    return conf;
  }

  /**
   * Makes the embedded cluster's one TaskManager stand for every region: it advertises each
   * region's external resource and has a slot (and a core) for each of {@code slots} region
   * subtasks, plus one.
   */
  public static void advertiseRegions(Configuration conf, List<String> regions, int slots) {
    conf.set(ExternalResourceOptions.EXTERNAL_RESOURCE_LIST, regions.stream().map(Route::resourceName).toList());
    for (String region : regions) {
      conf.set(ConfigOptions.key(ExternalResourceOptions.getAmountConfigOptionForResource(Route.resourceName(region)))
          .longType().noDefaultValue(), 1000L);
    }
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots + 1);
    conf.set(TaskManagerOptions.CPU_CORES, (double) slots + 1);
  }


  /**
   * The shutdown step: cancels the job (waiting a few seconds for it to stop), then sweeps the
   * run's area, aborting its journaled uploads. A task still writing when the cancel timed out may
   * leave something after the sweep: the next run into the destination, or {@code skyplane clean},
   * removes it (the report and the message on stderr say so).
   */
  private static Runnable cancelAndClean(AtomicReference<JobClient> submitted, TransferSpec spec) {
    return () -> {
      JobClient job = submitted.get();
      long deadline = System.currentTimeMillis() + SHUTDOWN_BUDGET.toMillis() - 500;
      boolean stopped = job == null || cancel(job, System.currentTimeMillis() + CANCEL_TIMEOUT_SECONDS * 1000);
      RunSweeper.Result swept = RunArea.finish(spec, true);
      if (!stopped && cancel(job, deadline - 1500)) {
        swept = RunArea.finish(spec, true); // what tasks still running wrote during the first sweep
      }
      if (!swept.clean() || !stopped) {
        System.err.println("skyplane: leftovers of run " + spec.transferId() + " may remain in "
            + spec.destination().text() + "; remove them with: skyplane clean " + spec.destination().text());
      }
    };
  }

  /** Cancels the job and waits until it stopped or {@code untilMillis}; whether it stopped. */
  private static boolean cancel(JobClient job, long untilMillis) {
    try {
      job.cancel().get(Math.max(1, untilMillis - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // already finished or failed, gone with the cluster, or not cancellable in time
    }
    while (System.currentTimeMillis() < untilMillis) {
      try {
        if (job.getJobStatus().get(1, TimeUnit.SECONDS).isGloballyTerminalState()) {
          return true;
        }
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (Exception e) {
        return true; // the job, or its cluster, is gone
      }
    }
    return false;
  }

  /**
   * Follows the job until it ends, passing what it reports to {@code progress}: its coordinator's
   * totals while it runs (polled every {@link #POLL_MILLIS}), the final accumulator when it ended
   * normally. Throws when the job failed or was cancelled.
   */
  private static JobExecutionResult follow(JobClient job, TransferProgress progress) throws Exception {
    CompletableFuture<JobExecutionResult> outcome = job.getJobExecutionResult();
    while (!outcome.isDone()) {
      JobReport.poll(job, POLL_TIMEOUT).ifPresent(p -> progress.update(p.totals(), p.restarts()));
      try {
        outcome.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // still running
      }
    }
    JobExecutionResult result = outcome.get();
    JobReport.totals(result).ifPresent(t -> progress.update(t, t.attempt()));
    return result;
  }

  private static TransferReport.Retries retries(@Nullable JobExecutionResult result) {
    if (result == null) {
      return TransferReport.Retries.NONE;
    }
    return new TransferReport.Retries(counts(result, StoreRetries.SOURCE), counts(result, StoreRetries.DESTINATION));
  }

  private static RetryCounts counts(JobExecutionResult result, String name) {
    return result.getAllAccumulatorResults().get(name) instanceof RetryCounts counts ? counts : RetryCounts.ZERO;
  }

  /** The innermost cause of a failure, as "Type: message", for one-line errors. */
  public static String rootMessage(Throwable e) {
    Throwable root = ExceptionUtils.stripExecutionException(e);
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
