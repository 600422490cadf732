package io.skyplane.planner.solver;

import static java.util.Objects.requireNonNull;

/**
 * A solved overlay, in the model's scaled units.
 *
 * @param theta seconds per gigabit of the whole transfer (= 1 / throughput in Gbps)
 * @param vms VMs per overlay node
 * @param flow {@code flow[k][e]}: fraction of the volume on edge e as hop k
 * @param connections TCP connections per edge (rounded up)
 * @param optimal whether the solver proved optimality (else: best found within the time limit)
 */
record Solution(
    Overlay overlay,
    double theta,
    int[] vms,
    double[][] flow,
    int[] connections,
    boolean optimal,
    String backend,
    long solveMillis) {

  Solution {
    requireNonNull(overlay, "overlay is null");
    requireNonNull(vms, "vms is null");
    requireNonNull(flow, "flow is null");
    requireNonNull(connections, "connections is null");
    requireNonNull(backend, "backend is null");
  }

  double throughputGbps() {
    return 1 / theta;
  }

  /** Fraction of the volume that crosses edge e (all hops together). */
  double edgeFraction(int e) {
    double sum = 0;
    for (double[] layer : flow) {
      sum += layer[e];
    }
    return sum;
  }

  double transferSeconds(double volumeGb) {
    return 8 * volumeGb * theta;
  }

  double egressUsd(double volumeGb) {
    double usd = 0;
    for (int e = 0; e < overlay.edges().size(); e++) {
      usd += overlay.edges().get(e).usdPerGb() * volumeGb * edgeFraction(e);
    }
    return usd;
  }

  double vmUsd(double volumeGb, double provisioningSeconds) {
    double usd = 0;
    for (int i = 0; i < vms.length; i++) {
      usd += vms[i] * overlay.nodes().get(i).vm().usdPerHour()
          * (transferSeconds(volumeGb) + provisioningSeconds) / 3600;
    }
    return usd;
  }

  int totalVms() {
    int total = 0;
    for (int v : vms) {
      total += v;
    }
    return total;
  }
}
