package io.skyplane.planner.bench;

import io.skyplane.planner.Goal;
import io.skyplane.planner.InfeasiblePlanException;
import io.skyplane.planner.PlanRequest;
import io.skyplane.planner.Planner;
import io.skyplane.planner.ReferenceData;
import io.skyplane.planner.region.RegionId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Solve time of {@code min-cost} on Skyplane's 71-region grid: 50 random region pairs (seed 42) at
 * 3 throughput targets, 500 GB, default constraints. Each timing is one {@code Planner.plan} call:
 * the overlay MILP plus the direct baseline (and, when infeasible, the explanation solve). Not a
 * test; run {@code bench/planner.sh}. Arguments: [pairs] [maxHops].
 */
public final class PlannerBenchmark {

  private static final double[] TARGETS_GBPS = {2, 10, 25};

  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int maxHops = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    var inputs = ReferenceData.inputs().orElseThrow(
        () -> new IllegalStateException("shared/reference/skyplane-data not found; set -Dskyplane.reference.dir"));
    List<RegionId> regions = new ArrayList<>(inputs.grid().regions());
    Planner planner = new Planner(inputs);
    Random random = new Random(42);
    // Warm-up: loads the native library (~0.5 s) outside the timings.
    planner.plan(PlanRequest.unicast(regions.get(0), regions.get(1), 500, new Goal.MinCost(1)));
    List<Double> millis = new ArrayList<>();
    int infeasible = 0;
    for (int p = 0; p < pairs; p++) {
      RegionId src = regions.get(random.nextInt(regions.size()));
      RegionId dst;
      do {
        dst = regions.get(random.nextInt(regions.size()));
      } while (dst.equals(src));
      for (double target : TARGETS_GBPS) {
        var request = PlanRequest.unicast(src, dst, 500, new Goal.MinCost(target));
        request = request.withConstraints(request.constraints().withMaxHops(maxHops));
        long start = System.nanoTime();
        String outcome;
        try {
          var plan = planner.plan(request);
          outcome = String.format(Locale.ROOT, "%6.2f Gbps $%8.2f (direct %6.2f Gbps $%8.2f) %d path(s)",
              plan.figures().throughputGbps(), plan.figures().totalUsd(),
              plan.direct().throughputGbps(), plan.direct().totalUsd(), plan.paths().size());
        } catch (InfeasiblePlanException e) {
          infeasible++;
          outcome = "infeasible: best " + String.format(Locale.ROOT, "%.2f", e.bestThroughputGbps().orElse(0)) + " Gbps";
        }
        double ms = (System.nanoTime() - start) / 1e6;
        millis.add(ms);
        System.out.printf(Locale.ROOT, "%-28s %-28s %5.1f Gbps  %8.1f ms  %s%n", src, dst, target, ms, outcome);
      }
    }
    Collections.sort(millis);
    double median = millis.size() % 2 == 1 ? millis.get(millis.size() / 2)
        : (millis.get(millis.size() / 2 - 1) + millis.get(millis.size() / 2)) / 2;
    System.out.printf(Locale.ROOT,
        "%n%d plans (%d pairs x %d targets, max hops %d, %d infeasible): median %.1f ms, max %.1f ms%n",
        millis.size(), pairs, TARGETS_GBPS.length, maxHops, infeasible, median, millis.get(millis.size() - 1));
  }
}
