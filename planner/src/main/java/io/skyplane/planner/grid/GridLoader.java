package io.skyplane.planner.grid;

import io.skyplane.planner.io.CsvTable;
import io.skyplane.planner.io.InputFileException;
import io.skyplane.planner.region.RegionCatalog;
import io.skyplane.planner.region.RegionId;
import io.skyplane.planner.region.RegionPair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a throughput grid in either of two CSV formats, told apart by the header.
 *
 * <ul>
 *   <li>Ours: {@code src,dst,gbps}.
 *   <li>Skyplane's iperf3 grid: {@code src_region,src_tier,...,dst_region,dst_tier,...,
 *       throughput_sent,...} in bits per second. Only PREMIUM-to-PREMIUM rows are used, GCP zones
 *       are normalised to their region, and when a pair appears twice the first row wins.
 * </ul>
 *
 * Every region must be in the catalog; errors name the file and line.
 */
public final class GridLoader {

  private GridLoader() {}

  public static ThroughputGrid load(CsvTable table, RegionCatalog catalog) {
    if (table.hasColumns("src_region", "dst_region", "throughput_sent")) {
      return loadSkyplane(table, catalog);
    }
    table.requireColumns("src", "dst", "gbps");
    Map<RegionPair, Double> gbps = new LinkedHashMap<>();
    for (CsvTable.Row row : table.rows()) {
      RegionPair pair = pair(row, row.get("src"), row.get("dst"), catalog);
      double value = row.number("gbps");
      if (value < 0) {
        throw row.error("negative throughput " + value + " Gbps for " + pair);
      }
      if (gbps.putIfAbsent(pair, value) != null) {
        throw row.error("duplicate pair " + pair);
      }
    }
    return new ThroughputGrid(table.source(), gbps);
  }

  private static ThroughputGrid loadSkyplane(CsvTable table, RegionCatalog catalog) {
    boolean tiers = table.hasColumns("src_tier", "dst_tier");
    Map<RegionPair, Double> gbps = new LinkedHashMap<>();
    for (CsvTable.Row row : table.rows()) {
      if (tiers
          && !(row.get("src_tier").equalsIgnoreCase("PREMIUM")
              && row.get("dst_tier").equalsIgnoreCase("PREMIUM"))) {
        continue;
      }
      RegionPair pair = pair(row, row.get("src_region"), row.get("dst_region"), catalog);
      double bitsPerSecond = row.number("throughput_sent");
      if (bitsPerSecond < 0) {
        throw row.error("negative throughput_sent " + bitsPerSecond + " for " + pair);
      }
      gbps.putIfAbsent(pair, bitsPerSecond / 1e9);
    }
    return new ThroughputGrid(table.source(), gbps);
  }

  static RegionPair pair(CsvTable.Row row, String src, String dst, RegionCatalog catalog) {
    RegionId srcId = region(row, src, catalog);
    RegionId dstId = region(row, dst, catalog);
    if (srcId.equals(dstId)) {
      throw row.error("source and destination are the same region " + srcId);
    }
    return new RegionPair(srcId, dstId);
  }

  private static RegionId region(CsvTable.Row row, String text, RegionCatalog catalog) {
    RegionId id;
    try {
      id = RegionId.parse(text);
    } catch (IllegalArgumentException e) {
      throw row.error(e.getMessage());
    }
    if (catalog.find(id).isEmpty()) {
      throw new InputFileException(
          row.table().source(), row.line(), "unknown region '" + text + "' (not in the region catalog)");
    }
    return id;
  }
}
