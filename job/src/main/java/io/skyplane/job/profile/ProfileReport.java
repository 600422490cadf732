package io.skyplane.job.profile;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The outcome of a profile run (also its JSON report).
 *
 * @param status {@code succeeded} (every link measured), {@code failed} (some link got no bytes in
 *     its window) or {@code error} (the job failed)
 * @param cluster {@code embedded}, or the REST address of the cluster
 * @param embedded whether one TaskManager in this JVM stood for every region (not a network
 *     measurement)
 * @param regions the regions profiled
 * @param settings how
 * @param pairs one result per ordered pair, in the order measured
 * @param seconds wall time from submitting the job to its end
 * @param error why the job failed, or empty
 */
public record ProfileReport(
    String status,
    String cluster,
    boolean embedded,
    List<String> regions,
    Settings settings,
    List<PairResult> pairs,
    double seconds,
    String error) {

  /** The profile's settings, for the report. */
  public record Settings(int streams, double warmUpSeconds, double durationSeconds, int rttProbes, int recordBytes) {
    static Settings of(ProfileSpec spec) {
      return new Settings(spec.streams(), spec.warmUp().toMillis() / 1000.0, spec.duration().toMillis() / 1000.0,
          spec.rttProbes(), spec.recordBytes());
    }
  }

  public ProfileReport {
    requireNonNull(status, "status is null");
    requireNonNull(cluster, "cluster is null");
    regions = List.copyOf(requireNonNull(regions, "regions is null"));
    requireNonNull(settings, "settings is null");
    pairs = List.copyOf(requireNonNull(pairs, "pairs is null"));
    requireNonNull(error, "error is null");
  }

  public boolean succeeded() {
    return status.equals("succeeded");
  }
}
