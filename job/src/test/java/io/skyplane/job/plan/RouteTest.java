package io.skyplane.job.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.skyplane.job.testing.TestPlans;
import io.skyplane.planner.TransferPlan;
import io.skyplane.planner.io.PlanJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTest {
  private static final String S = TestPlans.SOURCE;
  private static final String R = TestPlans.RELAY;
  private static final String D = TestPlans.DESTINATION;

  @Test
  void compilesRegionsEdgesSharesAndParallelismFromThePlan() {
    Route route = Route.of(PlanJson.read(PlanJson.write(TestPlans.relayed(0.6, 2, 1, 3))), 2);

    assertThat(route.source()).isEqualTo(S);
    assertThat(route.destination()).isEqualTo(D);
    assertThat(route.regions()).containsExactly(S, R, D);
    assertThat(route.parallelism()).containsEntry(S, 4).containsEntry(R, 2).containsEntry(D, 6);
    assertThat(route.next(S)).containsExactly(R, D);
    assertThat(route.next(R)).containsExactly(D);
    assertThat(route.edges()).containsExactly(S + "->" + R, S + "->" + D, R + "->" + D);
    assertThat(route.edgeShares().get(S + "->" + R)).isCloseTo(0.6, within(1e-9));
    assertThat(route.edgeShares().get(S + "->" + D)).isCloseTo(0.4, within(1e-9));
    assertThat(route.paths().get(0).after(R)).isEqualTo(D);
  }

  @Test
  void namesRegionResourcesAndTaskManagersAsTheBootstrapDoes() {
    assertThat(Route.resourceName("aws:us-east-1")).isEqualTo("region-aws-us-east-1");
    assertThat(Route.resourceName("azure:westeurope")).isEqualTo("region-azure-westeurope");
    assertThat(Route.taskManagerId("gcp:europe-west4", 3)).isEqualTo("gcp-europe-west4-tm3");
  }

  @Test
  void refusesMulticastPathsThatDoNotConnectCyclesAndBadWeights() {
    TransferPlan plan = TestPlans.relayed(1, 1, 1, 1);
    TransferPlan multicast = new TransferPlan(plan.formulation(), plan.goal(), plan.source(),
        List.of(plan.destinations().get(0), plan.regions().get(1).region()), 1, plan.regions(), plan.edges(),
        plan.paths(), plan.figures(), null, false, "test");
    assertThatThrownBy(() -> Route.of(multicast, 1)).hasMessageContaining("one destination");

    Map<String, Integer> p = new LinkedHashMap<>(Map.of(S, 1, R, 1, D, 1));
    List<Route.Hops> wrongEnd = List.of(new Route.Hops(List.of(S, R), 1));
    assertThatThrownBy(() -> new Route(S, D, p, 1, wrongEnd, "x", Map.of(), 0, 0))
        .hasMessageContaining("does not lead from");
    List<Route.Hops> loop = List.of(new Route.Hops(List.of(S, R, S, D), 1));
    assertThatThrownBy(() -> new Route(S, D, p, 1, loop, "x", Map.of(), 0, 0)).hasMessageContaining("twice");
    List<Route.Hops> cycle = List.of(new Route.Hops(List.of(S, R, D), 0.5), new Route.Hops(List.of(S, D, R), 0.5));
    assertThatThrownBy(() -> new Route(S, D, p, 1, cycle, "x", Map.of(), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    List<Route.Hops> half = List.of(new Route.Hops(List.of(S, D), 0.5));
    assertThatThrownBy(() -> new Route(S, D, p, 1, half, "x", Map.of(), 0, 0)).hasMessageContaining("sum to 0.5");
    List<Route.Hops> unknown = List.of(new Route.Hops(List.of(S, "aws:eu-west-1", D), 1));
    assertThatThrownBy(() -> new Route(S, D, p, 1, unknown, "x", Map.of(), 0, 0))
        .hasMessageContaining("aws:eu-west-1");
  }

  @Test
  void skipsEmptyPathsAndRenormalisesRoundedWeights() {
    Map<String, Integer> tms = new LinkedHashMap<>(); // the first region is the source
    tms.put(S, 1);
    tms.put(D, 1);
    TransferPlan plan = TestPlans.plan(tms,
        List.of(List.of(S, D), List.of(S, D)), List.of(0.98, 0.0));
    Route route = Route.of(plan, 1);
    assertThat(route.paths()).hasSize(1);
    assertThat(route.paths().get(0).weight()).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void assignsChunksToPathsByBytesWithinOneChunkOfTheWeights() {
    PathAssigner assigner = new PathAssigner(List.of(
        new Route.Hops(List.of(S, R, D), 0.6), new Route.Hops(List.of(S, D), 0.3),
        new Route.Hops(List.of(S, "aws:eu-west-1", D), 0.1)));
    long chunk = 64;
    long total = 0;
    for (int i = 0; i < 1000; i++) {
      long size = i % 7 == 0 ? 13 : chunk; // some short last chunks
      assigner.next(size);
      total += size;
      long[] assigned = assigner.assigned();
      double[] weights = {0.6, 0.3, 0.1};
      for (int p = 0; p < 3; p++) {
        assertThat((double) assigned[p]).isCloseTo(weights[p] * total, within((double) chunk));
      }
    }
  }

  @Test
  void fitsParallelismToTheClustersTaskManagersAndNamesMissingRegions() {
    Route route = Route.of(TestPlans.relayed(0.5, 2, 2, 2), 2);
    Map<String, List<String>> cluster = Map.of(
        Route.resourceName(S), List.of("a", "b"), Route.resourceName(R), List.of("c"),
        Route.resourceName(D), List.of("d", "e", "f"));
    List<String> warnings = new java.util.ArrayList<>();
    Route fitted = ClusterRegions.fit(route, cluster, 2, warnings::add);
    assertThat(fitted.parallelism()).containsEntry(S, 4).containsEntry(R, 2).containsEntry(D, 4);
    assertThat(warnings).singleElement().asString().contains(R);

    assertThatThrownBy(() -> ClusterRegions.check(route, Map.of(Route.resourceName(S), List.of("a")), "http://jm:8081"))
        .hasMessageContaining("no TaskManager in regions " + R + ", " + D)
        .hasMessageContaining("http://jm:8081");
  }
}
