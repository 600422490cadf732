package io.skyplane.planner.cli;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The options of {@code skyplane plan}, as given on the command line (text not yet parsed, so that
 * {@link PlanCommandLine} reports every bad value the same way). Empty optionals: not given.
 */
public record PlanOptions(
    String source,
    String destination,
    String volume,
    Optional<String> throughput,
    Optional<String> maxCost,
    Optional<Path> grid,
    Optional<Path> prices,
    Optional<Path> confDir,
    Optional<Integer> maxVmsPerRegion,
    Optional<Integer> taskManagersPerVm,
    Optional<Integer> maxHops,
    List<String> avoid,
    List<String> allowOnly,
    Optional<String> gcpTier,
    Optional<Double> provisioningSeconds,
    boolean direct,
    boolean json) {

  public PlanOptions {
    requireNonNull(source, "source is null");
    requireNonNull(destination, "destination is null");
    requireNonNull(volume, "volume is null");
    requireNonNull(throughput, "throughput is null");
    requireNonNull(maxCost, "maxCost is null");
    requireNonNull(grid, "grid is null");
    requireNonNull(prices, "prices is null");
    requireNonNull(confDir, "confDir is null");
    requireNonNull(maxVmsPerRegion, "maxVmsPerRegion is null");
    requireNonNull(taskManagersPerVm, "taskManagersPerVm is null");
    requireNonNull(maxHops, "maxHops is null");
    avoid = List.copyOf(requireNonNull(avoid, "avoid is null"));
    allowOnly = List.copyOf(requireNonNull(allowOnly, "allowOnly is null"));
    requireNonNull(gcpTier, "gcpTier is null");
    requireNonNull(provisioningSeconds, "provisioningSeconds is null");
  }

  /** Only the required options; the rest default. */
  public static PlanOptions of(String source, String destination, String volume) {
    return new PlanOptions(source, destination, volume, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(), false, false);
  }
}
