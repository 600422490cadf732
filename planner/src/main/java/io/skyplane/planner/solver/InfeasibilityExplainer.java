package io.skyplane.planner.solver;

import io.skyplane.planner.Goal;
import io.skyplane.planner.InfeasiblePlanException;
import io.skyplane.planner.PlanRequest;
import java.util.Locale;
import java.util.Optional;

/** Builds the one-line explanation of an infeasible request. */
final class InfeasibilityExplainer {

  private InfeasibilityExplainer() {}

  static InfeasiblePlanException explain(
      Overlay overlay, PlanRequest request, Optional<Solution> fastest, Optional<Solution> cheapest) {
    String route = request.source() + " -> " + request.destination();
    if (fastest.isEmpty()) {
      return new InfeasiblePlanException(
          "no plan from " + route + ": " + scope(overlay, request) + " give no path (the grid has no usable edges)",
          Double.NaN, Double.NaN);
    }
    double best = fastest.get().throughputGbps();
    if (request.goal() instanceof Goal.MinCost minCost) {
      return new InfeasiblePlanException(String.format(Locale.ROOT,
          "cannot reach %.2f Gbps for %s: the best plan reaches %.2f Gbps, limited by %s",
          minCost.targetGbps(), route, best, limit(overlay, request, best)), best, Double.NaN);
    }
    double ceiling = ((Goal.MaxThroughput) request.goal()).maxCostUsd();
    Solution c = cheapest.orElseThrow();
    double egress = c.egressUsd(request.volumeGb());
    double vm = c.vmUsd(request.volumeGb(), request.constraints().provisioningSeconds());
    return new InfeasiblePlanException(String.format(Locale.ROOT,
        "no plan for %s costs at most %.2f USD: the cheapest costs %.2f USD (egress %.2f + VMs %.2f) at %.2f Gbps",
        route, ceiling, egress + vm, egress, vm, c.throughputGbps()), best, egress + vm);
  }

  private static String limit(Overlay overlay, PlanRequest request, double best) {
    var src = overlay.nodes().get(Overlay.SOURCE);
    var dst = overlay.nodes().get(Overlay.SINK);
    double srcCap = src.quota() * src.vm().egressGbps();
    double dstCap = dst.quota() * dst.vm().ingressGbps();
    if (best >= srcCap * 0.999) {
      return String.format(Locale.ROOT,
          "the source's egress: %d VMs (quota) x %.1f Gbps per-VM egress cap = %.1f Gbps",
          src.quota(), src.vm().egressGbps(), srcCap);
    }
    if (best >= dstCap * 0.999) {
      return String.format(Locale.ROOT,
          "the destination's ingress: %d VMs (quota) x %.1f Gbps per-VM ingress cap = %.1f Gbps",
          dst.quota(), dst.vm().ingressGbps(), dstCap);
    }
    return "link throughputs in the grid and VM quotas on the relays (" + scope(overlay, request) + ")";
  }

  private static String scope(Overlay overlay, PlanRequest request) {
    var c = request.constraints();
    String s = String.format(Locale.ROOT, "at most %d hop%s, %d candidate relay region%s",
        overlay.maxHops(), overlay.maxHops() == 1 ? "" : "s", overlay.relayCount(),
        overlay.relayCount() == 1 ? "" : "s");
    if (!c.avoid().isEmpty()) {
      s += ", " + c.avoid().size() + " avoided";
    }
    if (!c.allowOnly().isEmpty()) {
      s += ", relays limited to " + c.allowOnly().size() + " allowed";
    }
    return s + ", max " + c.maxVmsPerRegion() + " VMs per region";
  }
}
