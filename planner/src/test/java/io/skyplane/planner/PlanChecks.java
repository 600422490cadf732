package io.skyplane.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.skyplane.planner.region.RegionId;
import java.util.HashMap;
import java.util.Map;

/** Invariants every plan must satisfy, checked against the inputs it was planned with. */
final class PlanChecks {

  static final double TOL = 1e-3;

  private PlanChecks() {}

  static void assertValid(TransferPlan plan, PlannerInputs inputs, Constraints constraints) {
    double rate = plan.figures().throughputGbps();
    Map<RegionId, Double> in = new HashMap<>();
    Map<RegionId, Double> out = new HashMap<>();
    Map<RegionId, Integer> connsIn = new HashMap<>();
    Map<RegionId, Integer> connsOut = new HashMap<>();
    Map<RegionId, Integer> vms = new HashMap<>();
    plan.regions().forEach(n -> vms.put(n.region(), n.vms()));
    for (TransferPlan.Edge e : plan.edges()) {
      out.merge(e.src(), e.gbps(), Double::sum);
      in.merge(e.dst(), e.gbps(), Double::sum);
      connsOut.merge(e.src(), e.connections(), Integer::sum);
      connsIn.merge(e.dst(), e.connections(), Integer::sum);
      // x_ij <= T_ij * n_ij / C, with the grid's figure
      double grid = inputs.grid().gbps(e.src(), e.dst()).orElseThrow();
      assertThat(e.gridGbpsPerVmPair()).isEqualTo(grid);
      assertThat(e.gbps()).as("edge %s->%s", e.src(), e.dst())
          .isLessThanOrEqualTo(grid * e.connections() / constraints.connectionsPerVm() + TOL);
      assertThat(constraints.avoid()).doesNotContain(e.src(), e.dst());
    }
    // flow conservation: source sends the rate, destination receives it, relays forward all
    RegionId src = plan.source();
    RegionId dst = plan.destinations().get(0);
    assertThat(out.getOrDefault(src, 0.0)).isCloseTo(rate, within(TOL * Math.max(1, rate)));
    assertThat(in.getOrDefault(dst, 0.0)).isCloseTo(rate, within(TOL * Math.max(1, rate)));
    assertThat(in).doesNotContainKey(src);
    assertThat(out).doesNotContainKey(dst);
    for (RegionId r : in.keySet()) {
      if (!r.equals(dst)) {
        assertThat(out.getOrDefault(r, 0.0)).as("conservation at %s", r).isCloseTo(in.get(r), within(TOL));
      }
    }
    // caps and quotas per region: egress, ingress, connections, VMs
    for (TransferPlan.Node n : plan.regions()) {
      var vm = inputs.prices().vmType(n.region().cloud());
      assertThat(n.vms()).isBetween(1, constraints.quota(n.region()));
      assertThat(n.taskManagers()).isEqualTo(n.vms() * constraints.taskManagersPerVm());
      assertThat(out.getOrDefault(n.region(), 0.0)).as("egress of %s", n.region())
          .isLessThanOrEqualTo(n.vms() * vm.egressGbps() + TOL);
      assertThat(in.getOrDefault(n.region(), 0.0)).as("ingress of %s", n.region())
          .isLessThanOrEqualTo(n.vms() * vm.ingressGbps() + TOL);
      // connections are rounded up per edge, so allow one extra per edge
      long edgesOut = plan.edges().stream().filter(e -> e.src().equals(n.region())).count();
      long edgesIn = plan.edges().stream().filter(e -> e.dst().equals(n.region())).count();
      assertThat(connsOut.getOrDefault(n.region(), 0))
          .isLessThanOrEqualTo(n.vms() * constraints.connectionsPerVm() + (int) edgesOut);
      assertThat(connsIn.getOrDefault(n.region(), 0))
          .isLessThanOrEqualTo(n.vms() * constraints.connectionsPerVm() + (int) edgesIn);
    }
    for (RegionId r : out.keySet()) {
      assertThat(vms).as("every sending region has VMs").containsKey(r);
    }
    // paths: weights sum to 1, each path starts at the source, ends at the sink, within max hops
    assertThat(plan.paths().stream().mapToDouble(TransferPlan.Path::weight).sum()).isCloseTo(1, within(1e-9));
    for (TransferPlan.Path p : plan.paths()) {
      assertThat(p.hops().get(0)).isEqualTo(src);
      assertThat(p.hops().get(p.hops().size() - 1)).isEqualTo(dst);
      assertThat(p.hops().size() - 1).isLessThanOrEqualTo(constraints.maxHops());
    }
    // the reported time and cost follow from the rate and VM counts
    var f = plan.figures();
    assertThat(f.transferSeconds()).isCloseTo(8 * plan.volumeGb() / rate, within(1e-6 * f.transferSeconds()));
    double vmUsd = 0;
    for (TransferPlan.Node n : plan.regions()) {
      vmUsd += n.vms() * inputs.prices().vmType(n.region().cloud()).usdPerHour()
          * (f.transferSeconds() + f.provisioningSeconds()) / 3600;
    }
    assertThat(f.vmUsd()).isCloseTo(vmUsd, within(1e-6 * Math.max(1, vmUsd)));
    double egressUsd = plan.edges().stream()
        .mapToDouble(e -> e.usdPerGb() * plan.volumeGb() * e.gbps() / rate).sum();
    assertThat(f.egressUsd()).isCloseTo(egressUsd, within(1e-3 * Math.max(1, egressUsd)));
  }
}
