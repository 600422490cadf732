package io.skyplane.planner;

/** What the plan optimises. */
public sealed interface Goal {

  /** The cheapest plan whose throughput is at least {@code targetGbps}. */
  record MinCost(double targetGbps) implements Goal {
    public MinCost {
      if (!(targetGbps > 0) || Double.isInfinite(targetGbps)) {
        throw new IllegalArgumentException("throughput target must be > 0 Gbps, got " + targetGbps);
      }
    }
  }

  /**
   * The fastest plan whose total cost (egress + VMs) is at most {@code maxCostUsd}; {@code
   * Double.POSITIVE_INFINITY} means no ceiling (the fastest plan within the quotas; among equally
   * fast plans, the cheapest).
   */
  record MaxThroughput(double maxCostUsd) implements Goal {
    public MaxThroughput {
      if (!(maxCostUsd > 0)) {
        throw new IllegalArgumentException("cost ceiling must be > 0 USD, got " + maxCostUsd);
      }
    }
  }
}
