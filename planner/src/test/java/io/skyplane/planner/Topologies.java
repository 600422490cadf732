package io.skyplane.planner;

import io.skyplane.planner.grid.GridLoader;
import io.skyplane.planner.io.CsvTable;
import io.skyplane.planner.price.PriceBook;
import io.skyplane.planner.price.PriceBookLoader;
import io.skyplane.planner.region.RegionCatalog;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Small hand-made topologies: every region is AWS with a $1/h VM capped at 5 Gbps out, 10 in. */
final class Topologies {

  static final String REGIONS = """
      region,continent,latitude,longitude,city
      aws:us-east-1,north-america,38.9,-77.4,S
      aws:us-west-2,north-america,45.8,-119.7,D
      aws:us-east-2,north-america,40.0,-83.0,R1
      aws:ca-central-1,north-america,45.5,-73.6,R2
      """;
  static final String VMS = """
      cloud,instance_type,usd_per_hour,egress_gbps,ingress_gbps
      aws,test.vm,1.0,5,10
      """;
  static final String RULES = """
      src_cloud,src_continent,dst,dst_continent,tier,usd_per_gb
      aws,*,same-cloud,*,*,0.02
      """;

  private Topologies() {}

  static CsvTable csv(String name, String text) {
    return CsvTable.read(name, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Inputs with this grid ({@code src,dst,gbps} lines) and these pair prices ({@code src,dst,usd_per_gb}). */
  static PlannerInputs inputs(String grid, String pairPrices) {
    RegionCatalog catalog = RegionCatalog.load(csv("regions.csv", REGIONS));
    PriceBook prices = new PriceBook(
        PriceBookLoader.loadVmTypes(csv("vms.csv", VMS)),
        PriceBookLoader.loadEgressRules(csv("rules.csv", RULES)),
        Map.of());
    if (!pairPrices.isBlank()) {
      prices = prices.withPairPrices(
          PriceBookLoader.loadPairPrices(csv("pairs.csv", "src,dst,usd_per_gb\n" + pairPrices), catalog));
    }
    return new PlannerInputs(catalog, GridLoader.load(csv("grid.csv", "src,dst,gbps\n" + grid), catalog), prices);
  }
}
