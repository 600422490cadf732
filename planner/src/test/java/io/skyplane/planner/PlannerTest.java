package io.skyplane.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.skyplane.planner.region.RegionId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked optima. All VMs cost $1/h with caps 5 Gbps out / 10 Gbps in, 64 connections per VM,
 * 120 s provisioning overhead, 100 GB (= 800 Gbit).
 */
class PlannerTest {

  static final RegionId S = RegionId.parse("aws:us-east-1");
  static final RegionId D = RegionId.parse("aws:us-west-2");
  static final RegionId R1 = RegionId.parse("aws:us-east-2");
  static final RegionId R2 = RegionId.parse("aws:ca-central-1");
  static final double GB = 100;
  static final double TOL = 1e-3;

  /** S->D is slow (1 Gbps); S->R1->D is fast (5 Gbps per hop). */
  static final String SLOW_DIRECT = """
      aws:us-east-1,aws:us-west-2,1
      aws:us-east-1,aws:us-east-2,5
      aws:us-east-2,aws:us-west-2,5
      """;

  /** Hand-worked optima are checked against a proven optimum (no gap). */
  private static Planner exact(PlannerInputs inputs) {
    return new Planner(inputs, new SolverSettings(30_000, 0));
  }

  private static Constraints quota1() {
    return Constraints.defaults().withMaxVmsPerRegion(1);
  }

  @Test
  void relayBeatsSlowDirectLink() throws Exception {
    // Relay hops at $0.01/GB each: same egress as direct ($0.02/GB).
    var inputs = Topologies.inputs(SLOW_DIRECT,
        "aws:us-east-1,aws:us-east-2,0.01\naws:us-east-2,aws:us-west-2,0.01\n");
    var request = PlanRequest.unicast(S, D, GB, new Goal.MinCost(4)).withConstraints(quota1());

    TransferPlan plan = exact(inputs).plan(request);

    // Direct can do 1 Gbps at most; via R1 the source VM's 5 Gbps egress cap binds, and the
    // cheapest plan runs its three VMs as fast as they go: 800 Gbit / 5 Gbps = 160 s.
    assertThat(plan.figures().throughputGbps()).isCloseTo(5, within(TOL));
    assertThat(plan.paths()).singleElement().satisfies(path -> {
      assertThat(path.hops()).containsExactly(S, R1, D);
      assertThat(path.weight()).isCloseTo(1, within(1e-6));
    });
    assertThat(plan.figures().egressUsd()).isCloseTo(2.0, within(TOL));
    assertThat(plan.figures().vmUsd()).isCloseTo(3 * (160 + 120) / 3600.0, within(TOL));
    assertThat(plan.regions()).extracting(TransferPlan.Node::vms).containsOnly(1);
    // The direct baseline cannot reach 4 Gbps; its fastest plan does 1 Gbps in 800 s.
    assertThat(plan.directMeetsGoal()).isFalse();
    assertThat(plan.direct().throughputGbps()).isCloseTo(1, within(TOL));
    assertThat(plan.direct().vmUsd()).isCloseTo(2 * (800 + 120) / 3600.0, within(TOL));
  }

  @Test
  void fastRelayTooExpensiveUnderCostCeiling() throws Exception {
    // Relay hops at $0.10/GB each: $20 of egress against $2 direct.
    var inputs = Topologies.inputs(SLOW_DIRECT,
        "aws:us-east-1,aws:us-east-2,0.10\naws:us-east-2,aws:us-west-2,0.10\n");
    var planner = exact(inputs);
    var base = PlanRequest.unicast(S, D, GB, new Goal.MaxThroughput(2.60)).withConstraints(quota1());

    // $2 egress + 2 VMs x (800 s + 120 s) = $2.511; any relay VM alone adds more than $0.09.
    TransferPlan cheap = planner.plan(base);
    assertThat(cheap.paths()).singleElement().satisfies(p -> assertThat(p.hops()).containsExactly(S, D));
    assertThat(cheap.figures().throughputGbps()).isCloseTo(1, within(TOL));
    assertThat(cheap.figures().totalUsd()).isCloseTo(2 + 2 * 920 / 3600.0, within(TOL));

    // With $30 the relay is affordable: 5 Gbps (source egress cap), $20 + 3 VMs x 280 s.
    TransferPlan rich = planner.plan(base.withGoal(new Goal.MaxThroughput(30)));
    assertThat(rich.figures().throughputGbps()).isCloseTo(5, within(TOL));
    assertThat(rich.figures().totalUsd()).isCloseTo(20 + 3 * 280 / 3600.0, within(TOL));
    assertThat(rich.formulation()).isEqualTo("max-throughput");
  }

  @Test
  void quotaForcesSecondRelay() throws Exception {
    String grid = """
        aws:us-east-1,aws:us-west-2,1
        aws:us-east-1,aws:us-east-2,10
        aws:us-east-2,aws:us-west-2,10
        aws:us-east-1,aws:ca-central-1,10
        aws:ca-central-1,aws:us-west-2,10
        """;
    var inputs = Topologies.inputs(grid, """
        aws:us-east-1,aws:us-east-2,0.01
        aws:us-east-2,aws:us-west-2,0.01
        aws:us-east-1,aws:ca-central-1,0.01
        aws:ca-central-1,aws:us-west-2,0.01
        """);
    var constraints = Constraints.defaults().withMaxVmsPerRegion(2).withVmQuotas(Map.of(R1, 1, R2, 1));
    var request = PlanRequest.unicast(S, D, GB, new Goal.MinCost(8)).withConstraints(constraints);

    TransferPlan plan = exact(inputs).plan(request);

    // One relay VM carries at most 5 Gbps and the direct link adds at most 2: 8 Gbps needs both
    // relays. Cheapest: 2 source VMs, 1 per relay, 1 destination VM, at 10 Gbps (80 s).
    assertThat(plan.paths()).extracting(TransferPlan.Path::hops)
        .containsExactlyInAnyOrder(List.of(S, R1, D), List.of(S, R2, D));
    assertThat(plan.paths()).allSatisfy(p -> assertThat(p.weight()).isCloseTo(0.5, within(1e-4)));
    assertThat(plan.figures().throughputGbps()).isCloseTo(10, within(TOL));
    assertThat(plan.figures().vms()).isEqualTo(5);
    assertThat(plan.figures().vmUsd()).isCloseTo(5 * 200 / 3600.0, within(TOL));
  }

  @Test
  void forbiddenRegionIsNotUsedAndTheLimitIsExplained() throws Exception {
    var inputs = Topologies.inputs(SLOW_DIRECT, "");
    var planner = exact(inputs);
    var avoid = quota1().withAvoid(Set.of(R1));

    assertThatThrownBy(() -> planner.plan(
        PlanRequest.unicast(S, D, GB, new Goal.MinCost(4)).withConstraints(avoid)))
        .isInstanceOf(InfeasiblePlanException.class)
        .hasMessageContaining("cannot reach 4.00 Gbps")
        .hasMessageContaining("best plan reaches 1.00 Gbps")
        .hasMessageContaining("1 avoided")
        .satisfies(e -> assertThat(((InfeasiblePlanException) e).bestThroughputGbps()).hasValueCloseTo(1.0, within(TOL)));

    TransferPlan plan = planner.plan(PlanRequest.unicast(S, D, GB, new Goal.MinCost(0.5)).withConstraints(avoid));
    assertThat(plan.regions()).extracting(TransferPlan.Node::region).containsExactlyInAnyOrder(S, D);
  }

  @Test
  void sourceEgressCapIsNamedWhenItBinds() {
    var inputs = Topologies.inputs(SLOW_DIRECT, "");
    var request = PlanRequest.unicast(S, D, GB, new Goal.MinCost(50)).withConstraints(quota1());
    assertThatThrownBy(() -> exact(inputs).plan(request))
        .isInstanceOf(InfeasiblePlanException.class)
        .hasMessageContaining("best plan reaches 5.00 Gbps")
        .hasMessageContaining("source's egress: 1 VMs (quota) x 5.0 Gbps");
  }

  @Test
  void directFormulationUsesOnlyTheDirectEdge() throws Exception {
    var inputs = Topologies.inputs(SLOW_DIRECT, "");
    var request = PlanRequest.unicast(S, D, GB, new Goal.MinCost(0.5)).withDirectOnly(true);
    TransferPlan plan = exact(inputs).plan(request);
    assertThat(plan.formulation()).isEqualTo("direct");
    assertThat(plan.edges()).singleElement().satisfies(e -> {
      assertThat(e.src()).isEqualTo(S);
      assertThat(e.dst()).isEqualTo(D);
    });
    // One VM pair with all 64 connections gives the grid's 1 Gbps.
    assertThat(plan.figures().throughputGbps()).isCloseTo(1, within(TOL));
    assertThat(plan.direct()).isEqualTo(plan.figures());
  }

  @Test
  void costCeilingBelowCheapestPlanIsExplained() {
    var inputs = Topologies.inputs(SLOW_DIRECT, "");
    var request = PlanRequest.unicast(S, D, GB, new Goal.MaxThroughput(1.0)).withConstraints(quota1());
    assertThatThrownBy(() -> exact(inputs).plan(request))
        .isInstanceOf(InfeasiblePlanException.class)
        .hasMessageContaining("costs at most 1.00 USD")
        .hasMessageContaining("the cheapest costs");
  }

  @Test
  void unknownEndpointIsBadInput() {
    var inputs = Topologies.inputs(SLOW_DIRECT, "");
    var request = PlanRequest.unicast(S, RegionId.parse("gcp:us-central1"), GB, new Goal.MinCost(1));
    assertThatThrownBy(() -> exact(inputs).plan(request))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown destination region 'gcp:us-central1'");
  }
}
