package io.skyplane.job.profile;

import io.skyplane.job.transfer.TransferRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a profile job on the embedded cluster or the one {@code flink run} submits to, and turns
 * its accumulators into a report. STREAMING mode (every exchange pipelined), no checkpoints (even
 * if the client's configuration asks for them), no restarts: a restart would measure again on a
 * network the failure may have changed.
 */
public final class ProfileRunner {
  private static final long CANCEL_TIMEOUT_SECONDS = 15;

  private ProfileRunner() {}

  /** Runs the profile; a failed job comes back as a report with status {@code error}. */
  public static ProfileReport run(ProfileSpec spec, ProfileCluster cluster) {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(configuration(spec, cluster.embedded()));
    // A client configuration may enable checkpoints: their barriers would cross the measured
    // channels, and a finished pair would wait for a final checkpoint before the next one starts.
    env.getCheckpointConfig().disableCheckpointing();
    ProfileJob.build(env, spec);
    long start = System.nanoTime();
    String error = "";
    JobExecutionResult result = null;
    JobClient job = null;
    try {
      job = env.executeAsync("skyplane profile " + String.join(", ", spec.regions()));
    } catch (Exception e) {
      error = TransferRunner.rootMessage(e);
    }
    if (job != null) {
      Thread cancel = new Thread(cancel(job), "skyplane-profile-cancel"); // Ctrl-C, SIGTERM
      Runtime.getRuntime().addShutdownHook(cancel);
      try {
        result = job.getJobExecutionResult().get();
      } catch (Exception e) {
        error = TransferRunner.rootMessage(e);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(cancel);
        } catch (IllegalStateException shuttingDown) {
          // the hook runs anyway
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<PairResult> pairs = new ArrayList<>();
    for (int i = 0; i < spec.links().size(); i++) {
      pairs.add(PairResult.of(spec.links().get(i), spec.streams(), accumulated(result, ProfileJob.windowAccumulator(i)),
          accumulated(result, ProfileJob.rttAccumulator(i)), cluster.embedded()));
    }
    String status = !error.isEmpty() ? "error" : pairs.stream().allMatch(PairResult::measured) ? "succeeded" : "failed";
    return new ProfileReport(status, cluster.name(), cluster.embedded(), spec.regions(),
        ProfileReport.Settings.of(spec), pairs, seconds, error);
  }

  static Configuration configuration(ProfileSpec spec, boolean embedded) {
    Configuration conf = new Configuration();
    conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    if (embedded) {
      // one slot per subtask index of each region's slot sharing group
      TransferRunner.advertiseRegions(conf, spec.regions(), spec.regions().size() * spec.streams());
    }
    return conf;
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> accumulated(JobExecutionResult result, String name) {
    Object value = result == null ? null : result.getAllAccumulatorResults().get(name);
    return value == null ? List.of() : (List<T>) value;
  }

  private static Runnable cancel(JobClient job) {
    return () -> {
      try {
        job.cancel().get(CANCEL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        // finished already, or gone with the cluster
      }
    };
  }
}
