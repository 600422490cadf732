package io.skyplane.planner;

import io.skyplane.planner.grid.GridLoader;
import io.skyplane.planner.io.CsvTable;
import io.skyplane.planner.price.PriceBookLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds Skyplane's measured 71-region grid and egress prices, read in place from {@code
 * shared/reference/skyplane-data} (never copied into the project): the system property {@code
 * skyplane.reference.dir}, else the first ancestor of the working directory that has {@code
 * shared/reference/skyplane-data}.
 */
public final class ReferenceData {

  public static final String GRID = "throughput_grid_2022-11.csv";
  public static final String COSTS = "egress_cost_grid_2022-11.csv";

  private ReferenceData() {}

  public static Optional<Path> directory() {
    String property = System.getProperty("skyplane.reference.dir");
    if (property != null) {
      Path dir = Path.of(property);
      return Files.isRegularFile(dir.resolve(GRID)) ? Optional.of(dir) : Optional.empty();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/reference/skyplane-data");
      if (Files.isRegularFile(candidate.resolve(GRID)) && Files.isRegularFile(candidate.resolve(COSTS))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Our catalog, VM types and rules, with Skyplane's measured grid and per-pair egress prices. */
  public static Optional<PlannerInputs> inputs() {
    return directory().map(dir -> {
      PlannerInputs defaults = PlannerInputs.defaults();
      var grid = GridLoader.load(CsvTable.read(dir.resolve(GRID)), defaults.catalog());
      var pairs = PriceBookLoader.loadPairPrices(CsvTable.read(dir.resolve(COSTS)), defaults.catalog());
      return defaults.withGrid(grid).withPrices(defaults.prices().withPairPrices(pairs));
    });
  }
}
