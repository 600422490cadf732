package io.skyplane.planner.solver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a layered flow into source-to-sink paths (standard flow decomposition): follow the
 * largest remaining flow from the source hop by hop, take the bottleneck, subtract, repeat. The
 * weights are normalised to sum to 1; identical paths are merged.
 */
final class PathDecomposer {

  private static final double EPS = 1e-7;

  private PathDecomposer() {}

  /** Paths as lists of overlay node indices, with their share of the volume. */
  static Map<List<Integer>, Double> decompose(Solution solution) {
    Overlay overlay = solution.overlay();
    double[][] rest = new double[solution.flow().length][];
    for (int k = 0; k < rest.length; k++) {
      rest[k] = solution.flow()[k].clone();
    }
    Map<List<Integer>, Double> paths = new LinkedHashMap<>();
    for (int guard = 0; guard < 10_000; guard++) {
      List<Integer> nodes = new ArrayList<>(List.of(Overlay.SOURCE));
      List<int[]> used = new ArrayList<>();
      int node = Overlay.SOURCE;
      double bottleneck = Double.MAX_VALUE;
      for (int k = 0; k < rest.length && node != Overlay.SINK; k++) {
        int best = -1;
        for (int e = 0; e < rest[k].length; e++) {
          if (overlay.edges().get(e).i() == node && rest[k][e] > EPS
              && (best < 0 || rest[k][e] > rest[k][best])) {
            best = e;
          }
        }
        if (best < 0) {
          break;
        }
        used.add(new int[] {k, best});
        bottleneck = Math.min(bottleneck, rest[k][best]);
        node = overlay.edges().get(best).j();
        nodes.add(node);
      }
      if (used.isEmpty()) {
        break;
      }
      for (int[] ke : used) {
        rest[ke[0]][ke[1]] -= bottleneck;
      }
      if (node == Overlay.SINK) {
        paths.merge(List.copyOf(nodes), bottleneck, Double::sum);
      } // else: numerical residue that leads nowhere; it was subtracted and is dropped
    }
    double total = paths.values().stream().mapToDouble(Double::doubleValue).sum();
    if (total <= 0) {
      throw new IllegalStateException("solved flow has no source-to-sink path");
    }
    paths.replaceAll((path, weight) -> weight / total);
    return paths;
  }
}
