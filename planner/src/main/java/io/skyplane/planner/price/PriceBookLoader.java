package io.skyplane.planner.price;

import io.skyplane.planner.io.CsvTable;
import io.skyplane.planner.io.InputFileException;
import io.skyplane.planner.region.Cloud;
import io.skyplane.planner.region.Continent;
import io.skyplane.planner.region.RegionCatalog;
import io.skyplane.planner.region.RegionId;
import io.skyplane.planner.region.RegionPair;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Reads the price book's files; every error names the file and line. */
public final class PriceBookLoader {

  private PriceBookLoader() {}

  /** {@code cloud,instance_type,usd_per_hour,egress_gbps,ingress_gbps}: one VM type per cloud. */
  public static Map<Cloud, VmType> loadVmTypes(CsvTable table) {
    table.requireColumns("cloud", "instance_type", "usd_per_hour", "egress_gbps", "ingress_gbps");
    Map<Cloud, VmType> types = new EnumMap<>(Cloud.class);
    for (CsvTable.Row row : table.rows()) {
      VmType type =
          parse(
              row,
              r ->
                  new VmType(
                      Cloud.parse(r.get("cloud")),
                      r.get("instance_type"),
                      r.number("usd_per_hour"),
                      r.number("egress_gbps"),
                      r.number("ingress_gbps")));
      if (types.putIfAbsent(type.cloud(), type) != null) {
        throw row.error("second VM type for cloud " + type.cloud().prefix());
      }
    }
    return types;
  }

  /**
   * {@code src_cloud,src_continent,dst,dst_continent,tier,usd_per_gb} where {@code dst} is {@code
   * same-cloud} or {@code other-cloud}, {@code dst_continent} is a continent, {@code same}, {@code
   * other} or {@code *}, and {@code tier} is {@code premium}, {@code standard} or {@code *}.
   */
  public static List<EgressRule> loadEgressRules(CsvTable table) {
    table.requireColumns("src_cloud", "src_continent", "dst", "dst_continent", "tier", "usd_per_gb");
    List<EgressRule> rules = new ArrayList<>();
    for (CsvTable.Row row : table.rows()) {
      rules.add(parse(row, PriceBookLoader::egressRule));
    }
    return rules;
  }

  private static EgressRule egressRule(CsvTable.Row row) {
    String dst = row.get("dst");
    boolean sameCloud;
    if (dst.equals("same-cloud")) {
      sameCloud = true;
    } else if (dst.equals("other-cloud")) {
      sameCloud = false;
    } else {
      throw row.error("dst must be same-cloud or other-cloud, not '" + dst + "'");
    }
    String dstContinent = row.get("dst_continent");
    Optional<Continent> continent = Optional.empty();
    Optional<Boolean> same = Optional.empty();
    switch (dstContinent) {
      case "*" -> {}
      case "same" -> same = Optional.of(true);
      case "other" -> same = Optional.of(false);
      default -> continent = Optional.of(Continent.parse(dstContinent));
    }
    String srcContinent = row.get("src_continent");
    String tier = row.get("tier");
    return new EgressRule(
        Cloud.parse(row.get("src_cloud")),
        srcContinent.equals("*") ? Optional.empty() : Optional.of(Continent.parse(srcContinent)),
        sameCloud,
        continent,
        same,
        tier.equals("*") ? Optional.empty() : Optional.of(NetworkTier.parse(tier)),
        row.number("usd_per_gb"));
  }

  /**
   * Per-pair egress prices in $/GB: ours ({@code src,dst,usd_per_gb}) or Skyplane's cost grid
   * ({@code src,dest,cost}); GCP zones are normalised and the first row of a pair wins.
   */
  public static Map<RegionPair, Double> loadPairPrices(CsvTable table, RegionCatalog catalog) {
    boolean skyplane = table.hasColumns("src", "dest", "cost");
    if (!skyplane) {
      table.requireColumns("src", "dst", "usd_per_gb");
    }
    Map<RegionPair, Double> prices = new LinkedHashMap<>();
    for (CsvTable.Row row : table.rows()) {
      RegionId src = region(row, row.get("src"), catalog);
      RegionId dst = region(row, row.get(skyplane ? "dest" : "dst"), catalog);
      double price = row.number(skyplane ? "cost" : "usd_per_gb");
      if (price < 0) {
        throw row.error("negative egress price " + price);
      }
      if (!src.equals(dst)) {
        prices.putIfAbsent(new RegionPair(src, dst), price);
      }
    }
    return prices;
  }

  private static RegionId region(CsvTable.Row row, String text, RegionCatalog catalog) {
    RegionId id = parse(row, r -> RegionId.parse(text));
    if (catalog.find(id).isEmpty()) {
      throw row.error("unknown region '" + text + "' (not in the region catalog)");
    }
    return id;
  }

  private static <T> T parse(CsvTable.Row row, Function<CsvTable.Row, T> parser) {
    try {
      return parser.apply(row);
    } catch (InputFileException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw row.error(e.getMessage());
    }
  }
}
