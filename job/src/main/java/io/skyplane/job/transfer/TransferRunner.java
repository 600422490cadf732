package io.skyplane.job.transfer;

import io.skyplane.job.model.TransferEvent;
import io.skyplane.job.source.SourceListing;
import java.io.IOException;
import java.util.stream.Collectors;
import io.skyplane.job.source.SourceObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;
import java.util.function.Consumer;
import org.apache.flink.api.common.RuntimeExecutionMode;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;

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
  private static final long CANCEL_TIMEOUT_SECONDS = 15;
  private TransferRunner() {}

  /**
   * Lists the source (all of it, or only {@code onlyKeys}); throws naming the unreadable path, the
   * missing bucket or the refused credentials.
   */
  public static List<SourceObject> list(TransferSpec spec, @Nullable Set<String> onlyKeys) throws IOException {
    return SourceListing.listAll(spec, onlyKeys);
  }

  /**
   * Runs the transfer of the listed objects (all of the source, or only {@code onlyKeys});
   * {@code onStart} receives the progress the runner will update, before the job starts.
   */
  public static TransferReport run(
      TransferSpec spec,
      String source,
      String destination,
      List<SourceObject> objects,
      @Nullable Set<String> onlyKeys,
      Configuration overrides,
      Consumer<TransferProgress> onStart) {
    long expectedBytes = objects.stream().mapToLong(SourceObject::size).sum();
    long start = System.currentTimeMillis();
    TransferProgress progress = new TransferProgress(objects.size(), expectedBytes, start);
    onStart.accept(progress);

    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(configuration(spec, overrides));
    String error = "";
    CloseableIterator<TransferEvent> events = TransferJob.build(env, spec, onlyKeys).collectAsync();
    JobClient job;
    try {
      job = env.executeAsync("skyplane cp " + source + " -> " + destination);
    } catch (Exception e) {
      job = null;
      error = rootMessage(e);
    }
    // Interrupted (Ctrl-C, SIGTERM): cancel the job, then remove its temporary files.
    Set<String> destinationKeys = objects.stream()
        .filter(o -> spec.chunkCount(o.size()) > 1) // only these have multipart uploads
        .map(o -> spec.destinationKey(o.key()))
        .collect(Collectors.toSet());
    Thread cleanup = new Thread(cancelAndClean(job, spec, destinationKeys, start), "skyplane-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try (events) {
      while (job != null && events.hasNext()) {
        progress.accept(events.next());
      }
      if (job != null) {
        job.getJobExecutionResult().get();
      }
    } catch (Exception e) {
      error = rootMessage(e);
    } finally {
      removeHook(cleanup);
    }
    int leftovers = TemporaryFiles.deleteAll(spec);
    int openUploads = 0;
    try {
      openUploads = PendingUploads.abortAll(spec, destinationKeys, start);
    } catch (IOException | RuntimeException e) {
      error = error.isEmpty() ? "cannot check for unfinished multipart uploads: " + e.getMessage() : error;
    }
    TransferProgress.Snapshot done = progress.snapshot(System.currentTimeMillis());
    List<TransferReport.Failure> failures = new ArrayList<>(done.failures());
    long accounted = done.committedObjects() + done.failedObjects();
    if (error.isEmpty() && accounted != objects.size()) {
      error = "the job reported " + accounted + " of " + objects.size() + " objects";
    }
    if (error.isEmpty() && leftovers > 0) {
      error = leftovers + " temporary files were left behind (removed)";
    }
    String status = !error.isEmpty() ? "error" : done.failedObjects() > 0 ? "failed" : "succeeded";
    double seconds = done.elapsedMillis() / 1000.0;
    double startup = Math.max(0, done.firstReadMillis()) / 1000.0;
    double transfer = Math.max(0, seconds - startup);
    return new TransferReport(
        spec.transferId(), source, destination, status, objects.size(), done.committedObjects(),
        done.failedObjects(), done.committedBytes(), done.wireBytes(),
        done.wireBytes() == 0 ? 1.0 : (double) done.bytes() / done.wireBytes(),
        seconds, seconds <= 0 ? 0 : done.committedBytes() / seconds,
        startup, transfer, transfer <= 0 ? 0 : done.committedBytes() / transfer,
        done.firstWriteMillis() / 1000.0, done.lastReadMillis() / 1000.0,
        new TransferReport.Settings(spec.chunkSize(), spec.compression().toString(),
            spec.parallelism(), RuntimeExecutionMode.STREAMING.name()),
        failures, openUploads, error);
  }

  static Configuration configuration(TransferSpec spec, Configuration overrides) {
    Configuration conf = new Configuration();
    conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    conf.set(CoreOptions.DEFAULT_PARALLELISM, spec.parallelism());
    // Embedded MiniCluster only (a cluster keeps its own): one slot per task of each group.
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 2 * spec.parallelism());
    conf.addAll(overrides);
    return conf;
  }

  private static Runnable cancelAndClean(
      JobClient job, TransferSpec spec, Set<String> destinationKeys, long start) {
    return () -> {
      if (job != null) {
        long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(CANCEL_TIMEOUT_SECONDS);
        try {
          job.cancel().get(CANCEL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
          while (System.currentTimeMillis() < deadline
              && !job.getJobStatus().get(1, TimeUnit.SECONDS).isGloballyTerminalState()) {
            Thread.sleep(100);
          }
        } catch (Exception e) {
          // finished, already gone with the cluster, or not cancellable in time: clean up anyway
        }
      }
      try {
        PendingUploads.abortAll(spec, destinationKeys, start);
      } catch (IOException | RuntimeException e) {
        // best effort on the way out; the next run's sweep (or the store's lifecycle rule) remains
      }
      // A task that was still writing may recreate a file just removed: sweep until none is left.
      for (int sweep = 0; sweep < 10; sweep++) {
        if (TemporaryFiles.deleteAll(spec) == 0 && sweep > 0) {
          break;
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    };
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = ExceptionUtils.stripExecutionException(e);
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
