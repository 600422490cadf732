package io.skyplane.planner.grid;

import static java.util.Objects.requireNonNull;

import io.skyplane.planner.io.CsvTable;
import io.skyplane.planner.region.RegionCatalog;
import io.skyplane.planner.region.RegionId;
import io.skyplane.planner.region.RegionPair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Round-trip times between regions, in milliseconds. Read from either of two CSV formats, told
 * apart by the header: ours, {@code src,dst,rtt_ms} (what {@code skyplane profile} writes next to
 * its throughput), or Skyplane's ping grid {@code src_region,...,dst_region,...,avg_rtt}, where
 * only PREMIUM-to-PREMIUM rows count and the first row of a pair wins.
 */
public record LatencyGrid(String source, Map<RegionPair, Double> rttMillis) {

  public LatencyGrid {
    requireNonNull(source, "source is null");
    rttMillis = Map.copyOf(rttMillis);
  }

  public OptionalDouble rttMillis(RegionId src, RegionId dst) {
    Double value = rttMillis.get(new RegionPair(src, dst));
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  public static LatencyGrid load(CsvTable table, RegionCatalog catalog) {
    boolean skyplane = table.hasColumns("src_region", "dst_region", "avg_rtt");
    if (!skyplane) {
      table.requireColumns("src", "dst", "rtt_ms");
    }
    boolean tiers = skyplane && table.hasColumns("src_tier", "dst_tier");
    Map<RegionPair, Double> rtt = new LinkedHashMap<>();
    for (CsvTable.Row row : table.rows()) {
      if (tiers && !(row.get("src_tier").equalsIgnoreCase("PREMIUM")
          && row.get("dst_tier").equalsIgnoreCase("PREMIUM"))) {
        continue;
      }
      RegionPair pair = skyplane
          ? GridLoader.pair(row, row.get("src_region"), row.get("dst_region"), catalog)
          : GridLoader.pair(row, row.get("src"), row.get("dst"), catalog);
      double value = row.number(skyplane ? "avg_rtt" : "rtt_ms");
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw row.error("bad round-trip time " + value + " ms for " + pair);
      }
      if (rtt.putIfAbsent(pair, value) != null && !skyplane) {
        throw row.error("duplicate pair " + pair);
      }
    }
    return new LatencyGrid(table.source(), rtt);
  }
}
