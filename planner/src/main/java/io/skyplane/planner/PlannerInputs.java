package io.skyplane.planner;

import static java.util.Objects.requireNonNull;

import io.skyplane.planner.grid.GridLoader;
import io.skyplane.planner.grid.ThroughputGrid;
import io.skyplane.planner.io.CsvTable;
import io.skyplane.planner.io.InputFileException;
import io.skyplane.planner.price.PriceBook;
import io.skyplane.planner.price.PriceBookLoader;
import io.skyplane.planner.region.RegionCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything the planner reads from files: region catalog, throughput grid and price book.
 *
 * <p>The defaults are the files of {@code conf/planner/} ({@code regions.csv}, {@code
 * throughput-estimate.csv}, {@code vm-types.csv}, {@code egress-prices.csv}), which are also bundled
 * in the jar. A configuration directory replaces the bundled copies file by file; {@code --grid}
 * and {@code --prices} replace the grid and add per-pair egress prices.
 */
public record PlannerInputs(RegionCatalog catalog, ThroughputGrid grid, PriceBook prices) {

  public static final String REGIONS = "regions.csv";
  public static final String GRID = "throughput-estimate.csv";
  public static final String VM_TYPES = "vm-types.csv";
  public static final String EGRESS = "egress-prices.csv";
  private static final String BUNDLED = "/io/skyplane/planner/conf/";

  public PlannerInputs {
    requireNonNull(catalog, "catalog is null");
    requireNonNull(grid, "grid is null");
    requireNonNull(prices, "prices is null");
  }

  /** The bundled defaults. */
  public static PlannerInputs defaults() {
    return load(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * @param confDir a directory whose files replace the bundled ones (missing files fall back)
   * @param gridFile a throughput grid (ours or Skyplane's format) replacing the default grid
   * @param pairPricesFile per-pair egress prices (ours or Skyplane's format) overriding the rules
   */
  public static PlannerInputs load(Optional<Path> confDir, Optional<Path> gridFile, Optional<Path> pairPricesFile) {
    if (confDir.isPresent() && !Files.isDirectory(confDir.get())) {
      throw new IllegalArgumentException("configuration directory " + confDir.get() + " does not exist");
    }
    RegionCatalog catalog = RegionCatalog.load(table(confDir, REGIONS));
    PriceBook prices = new PriceBook(
        PriceBookLoader.loadVmTypes(table(confDir, VM_TYPES)),
        PriceBookLoader.loadEgressRules(table(confDir, EGRESS)),
        java.util.Map.of());
    if (pairPricesFile.isPresent()) {
      prices = prices.withPairPrices(PriceBookLoader.loadPairPrices(CsvTable.read(pairPricesFile.get()), catalog));
    }
    CsvTable gridTable = gridFile.map(CsvTable::read).orElseGet(() -> table(confDir, GRID));
    return new PlannerInputs(catalog, GridLoader.load(gridTable, catalog), prices);
  }

  private static CsvTable table(Optional<Path> confDir, String name) {
    if (confDir.isPresent() && Files.isRegularFile(confDir.get().resolve(name))) {
      return CsvTable.read(confDir.get().resolve(name));
    }
    try (InputStream in = PlannerInputs.class.getResourceAsStream(BUNDLED + name)) {
      if (in == null) {
        throw new InputFileException(name, 0, "bundled configuration file is missing");
      }
      return CsvTable.read("conf/planner/" + name, in);
    } catch (IOException e) {
      throw new InputFileException(name, 0, "cannot read bundled file: " + e.getMessage());
    }
  }

  public PlannerInputs withGrid(ThroughputGrid value) {
    return new PlannerInputs(catalog, value, prices);
  }

  public PlannerInputs withPrices(PriceBook value) {
    return new PlannerInputs(catalog, grid, value);
  }
}
