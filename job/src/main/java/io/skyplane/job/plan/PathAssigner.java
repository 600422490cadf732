package io.skyplane.job.plan;

import java.util.List;

/**
 * Assigns chunks to a route's paths in proportion to the paths' weights, by bytes: each chunk goes
 * to the path furthest behind its share (smooth weighted round robin). After any prefix of the
 * chunks, every path's bytes are within one chunk of its share. Used by the one split enumerator,
 * so the whole transfer follows the weights, not each reader on its own.
 */
public final class PathAssigner {
  private final double[] weights;
  private final long[] assigned;
  private long total;

  public PathAssigner(List<Route.Hops> paths) {
    weights = new double[paths.size()];
    assigned = new long[paths.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = paths.get(i).weight();
    }
  }

  /** The path of the next chunk of {@code bytes} bytes (empty chunks count as one byte). */
  public int next(long bytes) {
    long size = Math.max(1, bytes);
    long after = total + size;
    int best = 0;
    double bestDeficit = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < weights.length; i++) {
      double deficit = weights[i] * after - assigned[i];
      if (deficit > bestDeficit) {
        bestDeficit = deficit;
        best = i;
      }
    }
    assigned[best] += size;
    total = after;
    return best;
  }

  /** Bytes assigned to each path so far. */
  public long[] assigned() {
    return assigned.clone();
  }
}
