package io.skyplane.planner.io;

import static java.util.Objects.requireNonNull;

import io.skyplane.planner.grid.LatencyGrid;
import io.skyplane.planner.grid.ThroughputGrid;
import io.skyplane.planner.region.RegionId;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Derives a sky-in-a-box topology ({@code deploy/local/bin/testbed up --topology FILE}) from a
 * throughput grid, so that plans made on the grid can be replayed on the emulated WAN: every
 * ordered pair of the chosen regions becomes a shaped link whose rate is the grid's Gbps times a
 * scale (by default 1 Gbps becomes 10 Mbit/s) and whose round-trip time comes from a latency grid,
 * else a default. The grid's figures are per VM; on the testbed a link is shared by all
 * TaskManagers of its two regions, so replay plans with one VM per region.
 */
public final class TestbedTopology {
  /** The stores a testbed region can host. */
  public static final Set<String> STORES = Set.of("s3", "gcs", "azure", "none");

  /** One region of the testbed: its id, the store server it hosts, its TaskManagers. */
  public record Region(RegionId id, String store, int taskManagers) {
    public Region {
      requireNonNull(id, "id is null");
      requireNonNull(store, "store is null");
      if (!STORES.contains(store)) {
        throw new IllegalArgumentException("unknown store '" + store + "' for " + id + " (one of s3, gcs, azure, none)");
      }
      if (taskManagers < 0) {
        throw new IllegalArgumentException("negative TaskManager count for " + id);
      }
    }
  }

  private TestbedTopology() {}

  /**
   * The topology file's text.
   *
   * @param mbitPerGbps Mbit/s on the testbed per Gbps in the grid
   * @param defaultRttMillis round-trip time of pairs the latency grid lacks (or all, without one)
   * @param missingRateMbit rate of pairs the grid lacks; without it such a pair is an error
   */
  public static String derive(List<Region> regions, ThroughputGrid grid, Optional<LatencyGrid> latency,
      double mbitPerGbps, double defaultRttMillis, OptionalDouble missingRateMbit) {
    if (regions.size() < 2) {
      throw new IllegalArgumentException("a topology needs at least two regions, got " + regions.size());
    }
    if (!(mbitPerGbps > 0) || Double.isInfinite(mbitPerGbps)) {
      throw new IllegalArgumentException("the scale must be a positive number of Mbit/s per Gbps, got " + mbitPerGbps);
    }
    if (!(defaultRttMillis >= 0) || Double.isInfinite(defaultRttMillis)) {
      throw new IllegalArgumentException("the default round-trip time must be ≥ 0 ms, got " + defaultRttMillis);
    }
    Set<RegionId> seen = new HashSet<>();
    for (Region region : regions) {
      if (!seen.add(region.id())) {
        throw new IllegalArgumentException("region " + region.id() + " is listed twice");
      }
    }
    StringBuilder text = new StringBuilder();
    text.append("# sky-in-a-box topology derived by `skyplane topology` from ").append(grid.source())
        .append('\n')
        .append(String.format(Locale.ROOT, "# rates: 1 Gbps in the grid = %s Mbit/s here; round-trip times: %s%n",
            number(mbitPerGbps), latency.map(l -> l.source() + ", else " + number(defaultRttMillis) + " ms")
                .orElse(number(defaultRttMillis) + " ms for every pair")))
        .append("# the grid's figures are per VM: replay plans with one VM (TaskManager) per region\n");
    for (Region region : regions) {
      text.append(String.format(Locale.ROOT, "region %s store=%s taskmanagers=%d%n",
          region.id(), region.store(), region.taskManagers()));
    }
    for (Region from : regions) {
      for (Region to : regions) {
        if (from.equals(to)) {
          continue;
        }
        OptionalDouble gbps = grid.gbps(from.id(), to.id());
        String note;
        long kbit;
        if (gbps.isPresent()) {
          kbit = Math.round(gbps.getAsDouble() * mbitPerGbps * 1000);
          note = "grid " + number(gbps.getAsDouble()) + " Gbps";
        } else if (missingRateMbit.isPresent()) {
          kbit = Math.round(missingRateMbit.getAsDouble() * 1000);
          note = "not in the grid: --missing-rate";
        } else {
          throw new IllegalArgumentException("the grid " + grid.source() + " has no throughput for "
              + from.id() + " -> " + to.id() + " (give --missing-rate, or another region)");
        }
        if (kbit < 1) {
          throw new IllegalArgumentException("the rate of " + from.id() + " -> " + to.id()
              + " rounds to 0 kbit/s (" + note + "); raise the scale");
        }
        OptionalDouble measured = latency.map(l -> l.rttMillis(from.id(), to.id())).orElse(OptionalDouble.empty());
        long rtt = Math.round(measured.orElse(defaultRttMillis));
        text.append(String.format(Locale.ROOT, "link %s -> %s rate=%dkbit rtt=%dms   # %s%s%n",
            from.id(), to.id(), kbit, rtt, note, measured.isPresent() ? "" : ", default rtt"));
      }
    }
    return text.toString();
  }

  private static String number(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.4g", value);
  }
}
