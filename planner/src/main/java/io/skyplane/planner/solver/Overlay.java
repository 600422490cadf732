package io.skyplane.planner.solver;

import static java.util.Objects.requireNonNull;

import io.skyplane.planner.PlanRequest;
import io.skyplane.planner.PlannerInputs;
import io.skyplane.planner.price.VmType;
import io.skyplane.planner.region.Region;
import io.skyplane.planner.region.RegionId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The candidate overlay of one request: node 0 is the source, node 1 the destination, the rest
 * are candidate relays (allowed, not avoided, quota above 0, in the grid). Edges are the grid's
 * pairs among them, never into the source nor out of the destination.
 */
record Overlay(List<NodeInfo> nodes, List<EdgeInfo> edges, int maxHops, int connectionsPerVm) {

  static final int SOURCE = 0;
  static final int SINK = 1;

  record NodeInfo(Region region, VmType vm, int quota) {
    NodeInfo {
      requireNonNull(region, "region is null");
      requireNonNull(vm, "vm is null");
    }
  }

  /** Edge i -> j with the grid's Gbps for one VM pair and the egress price in $/GB. */
  record EdgeInfo(int i, int j, double gbpsPerVmPair, double usdPerGb) {}

  Overlay {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }

  static Overlay build(PlannerInputs inputs, PlanRequest request, boolean directOnly) {
    var constraints = request.constraints();
    RegionId src = request.source();
    RegionId dst = request.destination();
    List<NodeInfo> nodes = new ArrayList<>();
    nodes.add(endpoint(inputs, request, src, "source"));
    nodes.add(endpoint(inputs, request, dst, "destination"));
    if (!directOnly && constraints.maxHops() > 1) {
      var gridRegions = inputs.grid().regions();
      inputs.catalog().all().stream()
          .sorted(Comparator.comparing(Region::id))
          .filter(r -> !r.id().equals(src) && !r.id().equals(dst))
          .filter(r -> gridRegions.contains(r.id()))
          .filter(r -> !constraints.avoid().contains(r.id()))
          .filter(r -> constraints.allowOnly().isEmpty() || constraints.allowOnly().contains(r.id()))
          .filter(r -> constraints.quota(r.id()) > 0)
          .forEach(r -> nodes.add(new NodeInfo(r, inputs.prices().vmType(r.cloud()), constraints.quota(r.id()))));
    }
    int hops = directOnly ? 1 : constraints.maxHops();
    List<EdgeInfo> edges = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      for (int j = 0; j < nodes.size(); j++) {
        if (i == j || j == SOURCE || i == SINK || !onSomePath(i, j, hops)) {
          continue;
        }
        Region a = nodes.get(i).region();
        Region b = nodes.get(j).region();
        OptionalDouble gbps = inputs.grid().gbps(a.id(), b.id());
        if (gbps.isPresent() && gbps.getAsDouble() > 0) {
          edges.add(new EdgeInfo(i, j, gbps.getAsDouble(),
              inputs.prices().egressUsdPerGb(a, b, constraints.gcpTier())));
        }
      }
    }
    return new Overlay(nodes, edges, hops, constraints.connectionsPerVm());
  }

  private static NodeInfo endpoint(PlannerInputs inputs, PlanRequest request, RegionId id, String role) {
    Region region = inputs.catalog().find(id).orElseThrow(
        () -> new IllegalArgumentException("unknown " + role + " region '" + id + "'"));
    if (request.constraints().avoid().contains(id)) {
      throw new IllegalArgumentException("the " + role + " region " + id + " is in the avoided regions");
    }
    int quota = request.constraints().quota(id);
    if (quota < 1) {
      throw new IllegalArgumentException("the " + role + " region " + id + " has a VM quota of 0");
    }
    return new NodeInfo(region, inputs.prices().vmType(region.cloud()), quota);
  }

  /** Whether edge i -> j can be a hop of a path with at most {@code hops} edges. */
  private static boolean onSomePath(int i, int j, int hops) {
    if (hops == 1) {
      return i == SOURCE && j == SINK;
    }
    if (hops == 2) {
      return i == SOURCE || j == SINK;
    }
    return true;
  }

  int relayCount() {
    return nodes.size() - 2;
  }

  /** Whether edge e may carry flow as hop k (0-based) of a path. */
  boolean inLayer(EdgeInfo e, int k) {
    boolean fromOk = k == 0 ? e.i() == SOURCE : e.i() != SOURCE;
    boolean toOk = k == maxHops - 1 ? e.j() == SINK : true;
    return fromOk && toOk;
  }
}
