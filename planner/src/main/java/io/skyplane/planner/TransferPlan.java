package io.skyplane.planner;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.skyplane.planner.region.RegionId;
import java.util.List;

/**
 * A transfer plan: an overlay DAG from one source to one or more sinks, with VMs per region, Gbps
 * per edge, the flow split into paths, and predicted time and cost next to the direct baseline.
 *
 * @param formulation {@code min-cost}, {@code max-throughput} or {@code direct}
 * @param goal what was asked, e.g. {@code throughput >= 10 Gbps}
 * @param figures predictions for this plan
 * @param direct predictions for the direct plan (source to destination only, same quotas): the
 *     same goal when the direct edge can meet it, else the fastest direct plan; null when the grid
 *     has no direct edge
 * @param directMeetsGoal whether {@code direct} meets the goal
 * @param solver the MILP backend and solve time, for diagnostics
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransferPlan(
    String formulation,
    String goal,
    RegionId source,
    List<RegionId> destinations,
    double volumeGb,
    List<Node> regions,
    List<Edge> edges,
    List<Path> paths,
    Figures figures,
    Figures direct,
    boolean directMeetsGoal,
    String solver) {

  public TransferPlan {
    requireNonNull(formulation, "formulation is null");
    requireNonNull(goal, "goal is null");
    requireNonNull(source, "source is null");
    destinations = List.copyOf(requireNonNull(destinations, "destinations is null"));
    regions = List.copyOf(requireNonNull(regions, "regions is null"));
    edges = List.copyOf(requireNonNull(edges, "edges is null"));
    paths = List.copyOf(requireNonNull(paths, "paths is null"));
    requireNonNull(figures, "figures is null");
    requireNonNull(solver, "solver is null");
  }

  /** A region of the plan with its VMs; role is {@code source}, {@code relay} or {@code destination}. */
  public record Node(
      RegionId region, String role, String instanceType, int vms, int taskManagers) {
    public Node {
      requireNonNull(region, "region is null");
      requireNonNull(role, "role is null");
      requireNonNull(instanceType, "instanceType is null");
    }
  }

  /**
   * An overlay edge.
   *
   * @param gbps planned rate on the edge
   * @param connections TCP connections the plan opens on the edge (all VMs together)
   * @param gridGbpsPerVmPair the grid's figure for one VM pair
   * @param usdPerGb egress price of the edge
   */
  public record Edge(
      RegionId src, RegionId dst, double gbps, int connections, double gridGbpsPerVmPair, double usdPerGb) {
    public Edge {
      requireNonNull(src, "src is null");
      requireNonNull(dst, "dst is null");
    }
  }

  /** A source-to-sink path carrying {@code weight} of the data (the weights sum to 1). */
  public record Path(List<RegionId> hops, double weight, double gbps) {
    public Path {
      hops = List.copyOf(requireNonNull(hops, "hops is null"));
    }
  }

  /**
   * Predicted figures. Time does not include provisioning; the VM cost does (every VM is paid for
   * {@code transferSeconds + provisioningSeconds}).
   */
  @JsonIgnoreProperties(value = {"totalUsd"}, allowGetters = true)
  public record Figures(
      double throughputGbps,
      double transferSeconds,
      double provisioningSeconds,
      int vms,
      double egressUsd,
      double vmUsd) {
    @JsonProperty("totalUsd")
    public double totalUsd() {
      return egressUsd + vmUsd;
    }
  }
}
