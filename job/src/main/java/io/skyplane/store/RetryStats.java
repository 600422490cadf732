package io.skyplane.store;

/**
 * Optional ability of an {@link ObjectStore}: how many requests its SDK had to try again, and how
 * many broken read streams were re-opened, since the store was opened. The S3, GCS and Azure stores
 * have it; a transfer adds the counts of its stores into its report.
 */
public interface RetryStats {

  /** The counts so far; cumulative, safe to call from any thread, never failing. */
  RetryCounts retryCounts();
}
