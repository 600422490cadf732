package io.skyplane.planner;

import static java.util.Objects.requireNonNull;

import io.skyplane.planner.region.RegionId;
import java.util.List;

/**
 * What to plan: move {@code volumeGb} (10^9 bytes) from {@code source} to {@code destinations}.
 *
 * @param directOnly the {@code direct} formulation: the same goal on the source-destination edge
 *     only
 */
public record PlanRequest(
    RegionId source,
    List<RegionId> destinations,
    double volumeGb,
    Goal goal,
    Constraints constraints,
    boolean directOnly) {

  public PlanRequest {
    requireNonNull(source, "source is null");
    destinations = List.copyOf(requireNonNull(destinations, "destinations is null"));
    requireNonNull(goal, "goal is null");
    requireNonNull(constraints, "constraints is null");
    if (destinations.size() != 1) {
      throw new IllegalArgumentException(
          "exactly one destination is supported for now (multicast comes later), got "
              + destinations.size());
    }
    if (destinations.contains(source)) {
      throw new IllegalArgumentException("source and destination are the same region " + source);
    }
    if (!(volumeGb > 0) || Double.isInfinite(volumeGb)) {
      throw new IllegalArgumentException("volume must be > 0 GB, got " + volumeGb);
    }
  }

  public static PlanRequest unicast(RegionId source, RegionId destination, double volumeGb, Goal goal) {
    return new PlanRequest(source, List.of(destination), volumeGb, goal, Constraints.defaults(), false);
  }

  public RegionId destination() {
    return destinations.get(0);
  }

  public PlanRequest withConstraints(Constraints value) {
    return new PlanRequest(source, destinations, volumeGb, goal, value, directOnly);
  }

  public PlanRequest withGoal(Goal value) {
    return new PlanRequest(source, destinations, volumeGb, value, constraints, directOnly);
  }

  public PlanRequest withDirectOnly(boolean value) {
    return new PlanRequest(source, destinations, volumeGb, goal, constraints, value);
  }
}
