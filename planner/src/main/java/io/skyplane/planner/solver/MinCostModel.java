package io.skyplane.planner.solver;

import io.skyplane.planner.SolverSettings;
import java.util.Optional;

/**
 * {@code min-cost}: the cheapest plan with throughput at least R.
 *
 * <pre>
 *   minimise   V * sum_e price_e * flow_e  +  sum_i price_i / 3600 * (8V * u_i + O * v_i)
 *   subject to theta <= 1 / R   and the shared overlay constraints
 * </pre>
 */
final class MinCostModel extends TimeScaledFlowModel {

  MinCostModel(Overlay overlay, double volumeGb, double provisioningSeconds, double targetGbps) {
    super(overlay, volumeGb, provisioningSeconds, 1 / targetGbps);
    addObjective();
  }

  // min egress $ + VM $
  private void addObjective() {
    var objective = solver.objective();
    setCostCoefficients(objective(objective));
    objective.setMinimization();
  }

  Optional<Solution> solve(SolverSettings settings) {
    return solveModel(settings);
  }
}
