package io.skyplane.planner.grid;

import static java.util.Objects.requireNonNull;

import io.skyplane.planner.region.RegionId;
import io.skyplane.planner.region.RegionPair;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * Throughput in Gbps between one VM in the source region and one VM in the destination region
 * (all of a VM's connections to that peer together). A missing pair means "no usable link".
 *
 * @param source where the grid came from (file name), for messages
 */
public record ThroughputGrid(String source, Map<RegionPair, Double> gbps) {

  public ThroughputGrid {
    requireNonNull(source, "source is null");
    gbps = Map.copyOf(requireNonNull(gbps, "gbps is null"));
  }

  public OptionalDouble gbps(RegionId src, RegionId dst) {
    Double value = gbps.get(new RegionPair(src, dst));
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  /** Every region that appears in the grid, sorted. */
  public Set<RegionId> regions() {
    Set<RegionId> regions = new TreeSet<>();
    for (RegionPair pair : gbps.keySet()) {
      regions.add(pair.src());
      regions.add(pair.dst());
    }
    return regions;
  }
}
