package io.skyplane.planner;

import java.util.OptionalDouble;

/**
 * No plan satisfies the goal under the constraints. The message is one line that says what can be
 * done instead (the best throughput, or the cheapest cost) and why.
 */
public final class InfeasiblePlanException extends Exception {

  private final double bestThroughputGbps;
  private final double cheapestUsd;

  public InfeasiblePlanException(String message, double bestThroughputGbps, double cheapestUsd) {
    super(message);
    this.bestThroughputGbps = bestThroughputGbps;
    this.cheapestUsd = cheapestUsd;
  }

  /** The fastest any plan can go under the constraints (empty if no plan exists at all). */
  public OptionalDouble bestThroughputGbps() {
    return Double.isNaN(bestThroughputGbps) ? OptionalDouble.empty() : OptionalDouble.of(bestThroughputGbps);
  }

  /** The cost of the cheapest plan (empty when not computed). */
  public OptionalDouble cheapestUsd() {
    return Double.isNaN(cheapestUsd) ? OptionalDouble.empty() : OptionalDouble.of(cheapestUsd);
  }
}
