package io.skyplane.job.report;

import io.skyplane.job.model.JobTotals;
import java.util.concurrent.CompletableFuture;
import javax.annotation.Nullable;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.operators.coordination.CoordinationRequest;
import org.apache.flink.runtime.operators.coordination.CoordinationRequestHandler;
import org.apache.flink.runtime.operators.coordination.CoordinationResponse;
import org.apache.flink.runtime.operators.coordination.OperatorCoordinator;
import org.apache.flink.runtime.operators.coordination.OperatorEvent;

/**
 * The report operator's coordinator, on the JobManager: keeps the newest totals the operator sent
 * (of the newest execution attempt) and answers the client's polls with them. It never waits for
 * the client: a client that stops polling costs nothing but one {@link JobTotals}. It lives as long
 * as the job (a restart resets it through {@link #resetToCheckpoint}, keeping the attempt count).
 */
final class ReportCoordinator implements OperatorCoordinator, CoordinationRequestHandler {
  private JobTotals latest = new JobTotals(0);
  private int attempt;

  @Override
  public void start() {}

  @Override
  public void close() {}

  @Override
  public synchronized void handleEventFromOperator(int subtask, int attemptNumber, OperatorEvent event) {
    if (event instanceof Messages.Totals totals && totals.totals().attempt() >= latest.attempt()) {
      latest = totals.totals();
      attempt = Math.max(attempt, totals.totals().attempt());
    }
  }

  @Override
  public synchronized CompletableFuture<CoordinationResponse> handleCoordinationRequest(CoordinationRequest request) {
    if (!(request instanceof Messages.Poll)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("unknown request " + request));
    }
    return CompletableFuture.completedFuture(new Messages.Progress(latest.copy(), attempt));
  }

  @Override
  public synchronized void executionAttemptReady(int subtask, int attemptNumber, SubtaskGateway gateway) {
    attempt = Math.max(attempt, attemptNumber);
  }

  @Override
  public void executionAttemptFailed(int subtask, int attemptNumber, @Nullable Throwable reason) {}

  @Override
  public void subtaskReset(int subtask, long checkpointId) {}

  @Override
  public void checkpointCoordinator(long checkpointId, CompletableFuture<byte[]> result) {
    result.complete(new byte[0]); // nothing to restore: a restarted job reports from zero
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {}

  @Override
  public void resetToCheckpoint(long checkpointId, @Nullable byte[] checkpointData) {}

  /** Creates the coordinator on the JobManager. */
  static final class Provider implements OperatorCoordinator.Provider {
    private static final long serialVersionUID = 1L;
    private final OperatorID operatorId;

    Provider(OperatorID operatorId) {
      this.operatorId = operatorId;
    }

    @Override
    public OperatorID getOperatorId() {
      return operatorId;
    }

    @Override
    public OperatorCoordinator create(Context context) {
      return new ReportCoordinator();
    }
  }
}
