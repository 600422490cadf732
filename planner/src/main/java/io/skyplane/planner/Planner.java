package io.skyplane.planner;

import io.skyplane.planner.solver.OverlayPlanner;

/**
 * The planner: a {@link PlanRequest} in, a {@link TransferPlan} out. Thread-safe; each call builds
 * and solves its own MILP (OR-Tools SCIP, else CBC).
 */
public final class Planner {

  /** Time limit of one MILP solve; a plan found by then is used even if not proven optimal. */
  public static final long DEFAULT_TIME_LIMIT_MILLIS = 30_000;

  private final OverlayPlanner planner;

  public Planner(PlannerInputs inputs) {
    this(inputs, DEFAULT_TIME_LIMIT_MILLIS);
  }

  public Planner(PlannerInputs inputs, long timeLimitMillis) {
    this.planner = new OverlayPlanner(inputs, timeLimitMillis);
  }

  /**
   * Plans a transfer.
   *
   * @throws InfeasiblePlanException when no plan meets the goal (the message says what is possible)
   * @throws IllegalArgumentException for bad input (unknown or avoided endpoint regions ...)
   */
  public TransferPlan plan(PlanRequest request) throws InfeasiblePlanException {
    return planner.plan(request);
  }
}
