package io.skyplane.job.report;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.model.JobTotals;
import io.skyplane.job.model.TransferEvent;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.operators.coordination.CoordinationRequestGateway;
import org.apache.flink.runtime.operators.coordination.CoordinationResponse;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The job's report to its client: {@link #attach} adds the report operator (one subtask) after the
 * committer; {@link #poll} asks the running job what it has done; {@link #totals} reads the final
 * totals of a finished job.
 */
public final class JobReport {
  /** The report operator's uid, by which the client addresses its coordinator. */
  public static final String UID = "skyplane-report";
  static final String ACCUMULATOR = "skyplane.totals";

  private JobReport() {}

  /** What a running job has done so far: its newest attempt's totals and how often it restarted. */
  public record Progress(JobTotals totals, int restarts) {
    public Progress {
      requireNonNull(totals, "totals is null");
    }
  }

  /**
   * Adds the report operator, fed by every committer subtask, in {@code group} when given (else in
   * its input's group), running {@code hooks} (see {@link JobHooks}).
   */
  public static void attach(DataStream<TransferEvent> events, @Nullable SlotSharingGroup group, String at,
      @Nullable JobHooks hooks) {
    SingleOutputStreamOperator<Void> report = events.global()
        .transform("report to the client" + at, Types.VOID, new ReportOperatorFactory(ACCUMULATOR, hooks))
        .uid(UID)
        .setParallelism(1)
        .setMaxParallelism(1);
    if (group != null) {
      report.slotSharingGroup(group);
    }
  }

  /**
   * Asks the running job for its progress; empty when it cannot answer now (not yet running,
   * restarting, finished, or gone) or the client cannot ask (a job client without coordination).
   */
  public static Optional<Progress> poll(JobClient job, Duration timeout) {
    if (!(job instanceof CoordinationRequestGateway gateway)) {
      return Optional.empty();
    }
    try {
      CoordinationResponse response =
          gateway.sendCoordinationRequest(UID, new Messages.Poll()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (response instanceof Messages.Progress progress) {
        return Optional.of(new Progress(progress.totals(), progress.attempt()));
      }
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** The final totals of a job that ended normally, when it reported any. */
  public static Optional<JobTotals> totals(JobExecutionResult result) {
    Object value = result.getAllAccumulatorResults().get(ACCUMULATOR);
    return value instanceof JobTotals totals ? Optional.of(totals) : Optional.empty();
  }
}
