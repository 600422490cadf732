package io.skyplane.planner.solver;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPSolver;
import io.skyplane.planner.SolverSettings;
import java.util.Optional;

/**
 * {@code max-throughput}: the fastest plan whose cost is at most a ceiling; among the fastest, the
 * cheapest (a second, lexicographic solve).
 *
 * <pre>
 *   minimise   theta
 *   subject to egress $ + VM $ <= ceiling,  theta <= thetaMax,  and the shared overlay constraints
 * then
 *   minimise   egress $ + VM $   subject to also  theta <= theta* (1 + 1e-6)
 * </pre>
 *
 * {@code thetaMax} bounds the search (1 / slowest throughput of interest); a smaller one
 * tightens the linearisation.
 */
final class MaxThroughputModel extends TimeScaledFlowModel {

  private final double ceilingUsd;

  MaxThroughputModel(
      Overlay overlay, double volumeGb, double provisioningSeconds, double thetaMax, double ceilingUsd) {
    super(overlay, volumeGb, provisioningSeconds, thetaMax);
    this.ceilingUsd = ceilingUsd;
    addCostCeiling();
  }

  // egress $ + VM $ <= ceiling
  private void addCostCeiling() {
    if (Double.isFinite(ceilingUsd)) {
      MPConstraint ceiling = solver.makeConstraint(-MPSolver.infinity(), ceilingUsd, "ceiling");
      setCostCoefficients(ceiling::setCoefficient);
    }
  }

  Optional<Solution> solve(SolverSettings settings) {
    var objective = solver.objective();
    objective.setCoefficient(theta, 1);
    objective.setMinimization();
    Optional<Solution> fastest = solveModel(settings);
    if (fastest.isEmpty()) {
      return fastest;
    }
    double best = fastest.get().theta();
    MPConstraint keepSpeed = solver.makeConstraint(-MPSolver.infinity(), best * (1 + 1e-6) + 1e-12, "keep_speed");
    keepSpeed.setCoefficient(theta, 1);
    objective.clear();
    setCostCoefficients(objective(objective));
    objective.setMinimization();
    return solveModel(settings).or(() -> fastest);
  }
}
