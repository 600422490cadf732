package io.skyplane.planner.solver;

import static java.util.Objects.requireNonNull;

import io.skyplane.planner.Goal;
import io.skyplane.planner.InfeasiblePlanException;
import io.skyplane.planner.PlanRequest;
import io.skyplane.planner.PlannerInputs;
import io.skyplane.planner.SolverSettings;
import io.skyplane.planner.TransferPlan;
import java.util.Optional;

/**
 * Runs the formulations for a request and assembles the {@link TransferPlan}. Use {@link
 * io.skyplane.planner.Planner}; this class is public only so that the facade can reach it.
 */
public final class OverlayPlanner {

  /** Slowest throughput considered by {@code max-throughput} when searching for the cheapest plan. */
  static final double FLOOR_GBPS = 0.01;

  private final PlannerInputs inputs;
  private final SolverSettings settings;

  public OverlayPlanner(PlannerInputs inputs, SolverSettings settings) {
    this.inputs = requireNonNull(inputs, "inputs is null");
    this.settings = requireNonNull(settings, "settings is null");
  }

  public TransferPlan plan(PlanRequest request) throws InfeasiblePlanException {
    requireNonNull(request, "request is null");
    Overlay overlay = Overlay.build(inputs, request, request.directOnly());
    Solution main = solve(overlay, request).orElseThrow(() -> infeasible(overlay, request));
    Overlay directOverlay = Overlay.build(inputs, request, true);
    Solution direct = null;
    boolean directMeetsGoal = false;
    if (request.directOnly()) {
      direct = main;
      directMeetsGoal = true;
    } else if (!directOverlay.edges().isEmpty()) {
      Optional<Solution> sameGoal = solve(directOverlay, request);
      directMeetsGoal = sameGoal.isPresent();
      direct = sameGoal.orElseGet(() -> fastest(directOverlay, request).orElse(null));
    }
    if (directMeetsGoal && better(direct, main, request)) {
      main = direct; // the overlay's optimum is only proven to within the solver's gap
    }
    return PlanAssembler.assemble(request, main, direct, directMeetsGoal);
  }

  /** Whether a beats b for the request's goal (cheaper for min-cost; faster, then cheaper, else). */
  private static boolean better(Solution a, Solution b, PlanRequest request) {
    if (request.goal() instanceof Goal.MinCost) {
      return cost(a, request) < cost(b, request);
    }
    double ta = a.throughputGbps();
    double tb = b.throughputGbps();
    return ta > tb * (1 + 1e-9) || (ta >= tb * (1 - 1e-9) && cost(a, request) < cost(b, request));
  }

  private Optional<Solution> solve(Overlay overlay, PlanRequest request) {
    if (overlay.edges().isEmpty()) {
      return Optional.empty();
    }
    double overhead = request.constraints().provisioningSeconds();
    if (request.goal() instanceof Goal.MinCost minCost) {
      try (var model = new MinCostModel(overlay, request.volumeGb(), overhead, minCost.targetGbps())) {
        return model.solve(settings);
      }
    }
    double ceiling = ((Goal.MaxThroughput) request.goal()).maxCostUsd();
    Optional<Solution> cheapest = cheapest(overlay, request);
    if (cheapest.isEmpty() || cost(cheapest.get(), request) > ceiling * (1 + 1e-9)) {
      return Optional.empty();
    }
    try (var model = new MaxThroughputModel(overlay, request.volumeGb(), overhead,
        cheapest.get().theta() * (1 + 1e-9), ceiling)) {
      return model.solve(settings).or(() -> cheapest);
    }
  }

  private Optional<Solution> cheapest(Overlay overlay, PlanRequest request) {
    try (var model = new MinCostModel(overlay, request.volumeGb(),
        request.constraints().provisioningSeconds(), FLOOR_GBPS)) {
      return model.solve(settings);
    }
  }

  private Optional<Solution> fastest(Overlay overlay, PlanRequest request) {
    return solve(overlay, request.withGoal(new Goal.MaxThroughput(Double.POSITIVE_INFINITY)));
  }

  static double cost(Solution s, PlanRequest request) {
    return s.egressUsd(request.volumeGb())
        + s.vmUsd(request.volumeGb(), request.constraints().provisioningSeconds());
  }

  private InfeasiblePlanException infeasible(Overlay overlay, PlanRequest request) {
    return InfeasibilityExplainer.explain(overlay, request, fastest(overlay, request),
        request.goal() instanceof Goal.MaxThroughput ? cheapest(overlay, request) : Optional.empty());
  }
}
