package io.skyplane.planner.price;

import static java.util.Objects.requireNonNull;

import io.skyplane.planner.region.Cloud;

/**
 * The VM the planner rents in a cloud's regions: list price and per-VM network caps to other
 * regions.
 */
public record VmType(
    Cloud cloud, String instanceType, double usdPerHour, double egressGbps, double ingressGbps) {
  public VmType {
    requireNonNull(cloud, "cloud is null");
    requireNonNull(instanceType, "instanceType is null");
    if (usdPerHour < 0 || egressGbps <= 0 || ingressGbps <= 0) {
      throw new IllegalArgumentException(
          "bad VM type " + instanceType + ": price must be >= 0 and caps > 0");
    }
  }
}
