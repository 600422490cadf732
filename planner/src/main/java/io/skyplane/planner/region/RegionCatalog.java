package io.skyplane.planner.region;

import static java.util.Objects.requireNonNull;

import io.skyplane.planner.io.CsvTable;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The regions the planner knows, read from a CSV with columns {@code
 * region,continent,latitude,longitude,city}.
 */
public record RegionCatalog(Map<RegionId, Region> regions) {

  public RegionCatalog {
    regions = Map.copyOf(requireNonNull(regions, "regions is null"));
  }

  public static RegionCatalog load(CsvTable table) {
    table.requireColumns("region", "continent", "latitude", "longitude", "city");
    Map<RegionId, Region> regions = new LinkedHashMap<>();
    for (CsvTable.Row row : table.rows()) {
      try {
        RegionId id = RegionId.parse(row.get("region"));
        Region region =
            new Region(
                id,
                Continent.parse(row.get("continent")),
                row.number("latitude"),
                row.number("longitude"),
                row.get("city"));
        if (regions.putIfAbsent(id, region) != null) {
          throw row.error("duplicate region " + id);
        }
      } catch (io.skyplane.planner.io.InputFileException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw row.error(e.getMessage());
      }
    }
    return new RegionCatalog(regions);
  }

  public Optional<Region> find(RegionId id) {
    return Optional.ofNullable(regions.get(id));
  }

  /** The region with this id, or an error naming it. */
  public Region get(RegionId id) {
    return find(id)
        .orElseThrow(() -> new IllegalArgumentException("unknown region '" + id + "'"));
  }

  public Collection<Region> all() {
    return regions.values();
  }
}
