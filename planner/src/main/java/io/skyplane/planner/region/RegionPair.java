package io.skyplane.planner.region;

import static java.util.Objects.requireNonNull;

/** A directed pair of regions. */
public record RegionPair(RegionId src, RegionId dst) {
  public RegionPair {
    requireNonNull(src, "src is null");
    requireNonNull(dst, "dst is null");
  }

  @Override
  public String toString() {
    return src + "->" + dst;
  }
}
