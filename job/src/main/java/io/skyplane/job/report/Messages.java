package io.skyplane.job.report;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.model.JobTotals;
import org.apache.flink.runtime.operators.coordination.CoordinationRequest;
import org.apache.flink.runtime.operators.coordination.CoordinationResponse;
import org.apache.flink.runtime.operators.coordination.OperatorEvent;

/** What the report operator, its coordinator and the client send each other. */
final class Messages {
  private Messages() {}

  /** Operator to coordinator: the operator's totals so far (a copy; the newest replaces the rest). */
  record Totals(JobTotals totals) implements OperatorEvent {
    private static final long serialVersionUID = 1L;

    Totals {
      requireNonNull(totals, "totals is null");
    }
  }

  /** Client to coordinator: what has the job done so far? */
  record Poll() implements CoordinationRequest {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Coordinator to client.
   *
   * @param totals the newest totals of the newest attempt (empty before the first arrived)
   * @param attempt the highest execution attempt the coordinator has seen start: the restarts so far
   */
  record Progress(JobTotals totals, int attempt) implements CoordinationResponse {
    private static final long serialVersionUID = 1L;

    Progress {
      requireNonNull(totals, "totals is null");
    }
  }
}
