package io.skyplane.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.skyplane.planner.region.RegionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Properties on Skyplane's measured 71-region grid and 2022-11 egress prices (read in place from
 * {@code shared/reference/skyplane-data}; skipped when absent). Random pairs use a fixed seed.
 */
class RealGridPropertyTest {

  private static final double VOLUME_GB = 500;
  private static final double RELATIVE_GAP = 2.5e-3; // each plan is within 1e-3 of its optimum

  private static PlannerInputs inputs;
  private static Planner planner;
  private static List<RegionId[]> pairs;

  @BeforeAll
  static void load() {
    Optional<PlannerInputs> loaded = ReferenceData.inputs();
    assumeTrue(loaded.isPresent(), "shared/reference/skyplane-data not found: skipping");
    inputs = loaded.get();
    assertThat(inputs.grid().regions()).hasSize(71);
    assertThat(inputs.grid().gbps()).hasSize(71 * 70);
    planner = new Planner(inputs);
    List<RegionId> regions = new ArrayList<>(inputs.grid().regions());
    Random random = new Random(7);
    pairs = new ArrayList<>();
    while (pairs.size() < 4) {
      RegionId a = regions.get(random.nextInt(regions.size()));
      RegionId b = regions.get(random.nextInt(regions.size()));
      if (!a.equals(b)) {
        pairs.add(new RegionId[] {a, b});
      }
    }
  }

  @Test
  void minCostPlansAreValidAndCostNeverFallsAsTheTargetRises() throws Exception {
    for (RegionId[] pair : pairs) {
      double previous = 0;
      for (double target : new double[] {1, 4, 12, 24}) {
        var request = PlanRequest.unicast(pair[0], pair[1], VOLUME_GB, new Goal.MinCost(target));
        TransferPlan plan = planner.plan(request);
        PlanChecks.assertValid(plan, inputs, request.constraints());
        assertThat(plan.figures().throughputGbps()).isGreaterThanOrEqualTo(target * (1 - 1e-6));
        assertThat(plan.figures().totalUsd()).as("%s->%s at %s Gbps", pair[0], pair[1], target)
            .isGreaterThanOrEqualTo(previous * (1 - RELATIVE_GAP));
        previous = plan.figures().totalUsd();
      }
    }
  }

  @Test
  void minCostIsNeverWorseThanDirectAtTheDirectThroughput() throws Exception {
    for (RegionId[] pair : pairs) {
      var constraints = Constraints.defaults().withMaxVmsPerRegion(2);
      var fastestDirect = planner.plan(new PlanRequest(pair[0], List.of(pair[1]), VOLUME_GB,
          new Goal.MaxThroughput(Double.POSITIVE_INFINITY), constraints, true));
      double directRate = fastestDirect.figures().throughputGbps();
      var request = new PlanRequest(pair[0], List.of(pair[1]), VOLUME_GB,
          new Goal.MinCost(directRate * (1 - 1e-6)), constraints, false);
      TransferPlan plan = planner.plan(request);
      PlanChecks.assertValid(plan, inputs, constraints);
      assertThat(plan.figures().totalUsd())
          .isLessThanOrEqualTo(fastestDirect.figures().totalUsd() * (1 + RELATIVE_GAP));
    }
  }

  @Test
  void maxThroughputStaysUnderTheCeilingAndNeverSlowsWhenItRises() throws Exception {
    for (RegionId[] pair : pairs.subList(0, 2)) {
      var constraints = Constraints.defaults().withMaxVmsPerRegion(4);
      var cheapest = planner.plan(new PlanRequest(pair[0], List.of(pair[1]), VOLUME_GB,
          new Goal.MinCost(0.01), constraints, false));
      double previous = 0;
      for (double factor : new double[] {1.05, 1.3, 2}) {
        double ceiling = cheapest.figures().totalUsd() * factor;
        var request = new PlanRequest(pair[0], List.of(pair[1]), VOLUME_GB, new Goal.MaxThroughput(ceiling), constraints, false);
        TransferPlan plan = planner.plan(request);
        PlanChecks.assertValid(plan, inputs, constraints);
        assertThat(plan.figures().totalUsd()).isLessThanOrEqualTo(ceiling * (1 + 1e-6));
        assertThat(plan.figures().throughputGbps()).isGreaterThanOrEqualTo(previous * (1 - RELATIVE_GAP));
        previous = plan.figures().throughputGbps();
      }
    }
  }

  @Test
  void fastestPlansWithThreeHopsAndAvoidedRegionsRespectEveryCap() throws Exception {
    for (RegionId[] pair : pairs.subList(0, 2)) {
      Set<RegionId> avoid = Set.of(RegionId.parse("aws:us-east-1"), RegionId.parse("gcp:us-central1"),
          RegionId.parse("azure:westeurope"));
      var constraints = Constraints.defaults().withMaxVmsPerRegion(2).withMaxHops(3)
          .withAvoid(avoid.stream().filter(r -> !r.equals(pair[0]) && !r.equals(pair[1]))
              .collect(java.util.stream.Collectors.toSet()));
      var request = new PlanRequest(pair[0], List.of(pair[1]), VOLUME_GB,
          new Goal.MaxThroughput(Double.POSITIVE_INFINITY), constraints, false);
      TransferPlan plan = planner.plan(request);
      PlanChecks.assertValid(plan, inputs, constraints);
      assertThat(plan.figures().throughputGbps())
          .isGreaterThanOrEqualTo(plan.direct().throughputGbps() * (1 - 1e-6));
    }
  }
}
