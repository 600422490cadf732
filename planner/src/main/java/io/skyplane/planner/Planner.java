package io.skyplane.planner;

import io.skyplane.planner.solver.OverlayPlanner;

/**
 * The planner: a {@link PlanRequest} in, a {@link TransferPlan} out. Thread-safe; each call builds
 * and solves its own MILP (OR-Tools SCIP, else CBC).
 */
public final class Planner {

  private final OverlayPlanner planner;

  public Planner(PlannerInputs inputs) {
    this(inputs, SolverSettings.DEFAULT);
  }

  public Planner(PlannerInputs inputs, SolverSettings settings) {
    this.planner = new OverlayPlanner(inputs, settings);
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
