package io.skyplane.planner.solver;

import io.skyplane.planner.Goal;
import io.skyplane.planner.PlanRequest;
import io.skyplane.planner.TransferPlan;
import io.skyplane.planner.region.RegionId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns solver output into the public {@link TransferPlan} record. */
final class PlanAssembler {

  private static final double MIN_FRACTION = 1e-6;

  private PlanAssembler() {}

  static TransferPlan assemble(PlanRequest request, Solution main, Solution direct, boolean directMeetsGoal) {
    Overlay overlay = main.overlay();
    int tmsPerVm = request.constraints().taskManagersPerVm();
    List<TransferPlan.Node> nodes = new ArrayList<>();
    for (int i = 0; i < overlay.nodes().size(); i++) {
      if (main.vms()[i] > 0) {
        var info = overlay.nodes().get(i);
        String role = i == Overlay.SOURCE ? "source" : i == Overlay.SINK ? "destination" : "relay";
        nodes.add(new TransferPlan.Node(info.region().id(), role, info.vm().instanceType(),
            main.vms()[i], main.vms()[i] * tmsPerVm));
      }
    }
    List<TransferPlan.Edge> edges = new ArrayList<>();
    for (int e = 0; e < overlay.edges().size(); e++) {
      double fraction = main.edgeFraction(e);
      if (fraction > MIN_FRACTION) {
        var edge = overlay.edges().get(e);
        edges.add(new TransferPlan.Edge(id(overlay, edge.i()), id(overlay, edge.j()),
            fraction * main.throughputGbps(), main.connections()[e], edge.gbpsPerVmPair(), edge.usdPerGb()));
      }
    }
    List<TransferPlan.Path> paths = new ArrayList<>();
    for (Map.Entry<List<Integer>, Double> path : PathDecomposer.decompose(main).entrySet()) {
      List<RegionId> hops = path.getKey().stream().map(i -> id(overlay, i)).toList();
      paths.add(new TransferPlan.Path(hops, path.getValue(), path.getValue() * main.throughputGbps()));
    }
    paths.sort(Comparator.comparingDouble(TransferPlan.Path::weight).reversed());
    String formulation = request.directOnly() ? "direct"
        : request.goal() instanceof Goal.MinCost ? "min-cost" : "max-throughput";
    String solver = main.backend() + (main.optimal() ? "" : " (time limit: best found, not proven optimal)")
        + ", " + main.solveMillis() + " ms";
    return new TransferPlan(formulation, describe(request.goal()), request.source(), request.destinations(),
        request.volumeGb(), nodes, edges, paths, figures(main, request),
        direct == null ? null : figures(direct, request), directMeetsGoal, solver);
  }

  static String describe(Goal goal) {
    if (goal instanceof Goal.MinCost minCost) {
      return String.format(Locale.ROOT, "throughput >= %.3f Gbps", minCost.targetGbps());
    }
    double ceiling = ((Goal.MaxThroughput) goal).maxCostUsd();
    return Double.isInfinite(ceiling) ? "fastest plan"
        : String.format(Locale.ROOT, "cost <= %.2f USD", ceiling);
  }

  static TransferPlan.Figures figures(Solution s, PlanRequest request) {
    double overhead = request.constraints().provisioningSeconds();
    return new TransferPlan.Figures(s.throughputGbps(), s.transferSeconds(request.volumeGb()), overhead,
        s.totalVms(), s.egressUsd(request.volumeGb()), s.vmUsd(request.volumeGb(), overhead));
  }

  private static RegionId id(Overlay overlay, int node) {
    return overlay.nodes().get(node).region().id();
  }
}
