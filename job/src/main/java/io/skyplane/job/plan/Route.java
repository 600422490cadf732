package io.skyplane.job.plan;

import static java.util.Objects.requireNonNull;

import io.skyplane.planner.TransferPlan;
import io.skyplane.planner.region.RegionId;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A unicast {@link TransferPlan} compiled for the job: the regions (plan nodes) with the parallelism
 * of their operators, the overlay edges, and the source-to-destination paths that chunks are
 * assigned to in proportion to their weights. Shipped to every task (serializable, region ids as
 * strings).
 *
 * @param source the source region, e.g. {@code aws:us-east-1}
 * @param destination the destination region
 * @param parallelism operator parallelism per region (its TaskManagers times the parallelism per
 *     TaskManager)
 * @param perTaskManager parallel subtasks per TaskManager
 * @param paths the plan's paths: regions from source to destination, and the share of bytes each
 *     carries (the shares sum to 1)
 * @param formulation the plan's formulation ({@code min-cost}, {@code max-throughput}, {@code direct})
 * @param plannedGbps the plan's rate per edge ("src->dst"), for the report
 * @param predictedGbps the plan's predicted throughput
 * @param predictedUsdPerGb the plan's predicted total cost per GB moved (egress and VMs)
 */
public record Route(
    String source,
    String destination,
    Map<String, Integer> parallelism,
    int perTaskManager,
    List<Hops> paths,
    String formulation,
    Map<String, Double> plannedGbps,
    double predictedGbps,
    double predictedUsdPerGb)
    implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double WEIGHT_SLACK = 1e-3;

  /** One path: its regions, source first, and the share of the bytes it carries. */
  public record Hops(List<String> regions, double weight) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Hops {
      regions = List.copyOf(requireNonNull(regions, "regions is null"));
    }

    /** The region after {@code region} on this path; IllegalArgumentException if it has none. */
    public String after(String region) {
      int at = regions.indexOf(region);
      if (at < 0 || at == regions.size() - 1) {
        throw new IllegalArgumentException("path " + regions + " has no hop after " + region);
      }
      return regions.get(at + 1);
    }
  }

  public Route {
    requireNonNull(source, "source is null");
    requireNonNull(destination, "destination is null");
    parallelism = Map.copyOf(requireNonNull(parallelism, "parallelism is null"));
    paths = List.copyOf(requireNonNull(paths, "paths is null"));
    requireNonNull(formulation, "formulation is null");
    plannedGbps = Map.copyOf(requireNonNull(plannedGbps, "plannedGbps is null"));
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("the plan has no path from " + source + " to " + destination);
    }
    if (perTaskManager <= 0) {
      throw new IllegalArgumentException("parallelism per TaskManager must be positive, got " + perTaskManager);
    }
    double total = 0;
    for (Hops path : paths) {
      List<String> hops = path.regions();
      if (hops.size() < 2 || !hops.get(0).equals(source) || !hops.get(hops.size() - 1).equals(destination)) {
        throw new IllegalArgumentException("plan path " + hops + " does not lead from " + source + " to " + destination);
      }
      if (new HashSet<>(hops).size() != hops.size()) {
        throw new IllegalArgumentException("plan path " + hops + " visits a region twice");
      }
      if (!(path.weight() > 0) || path.weight() > 1 + WEIGHT_SLACK) {
        throw new IllegalArgumentException("plan path " + hops + " has weight " + path.weight() + ", not in (0, 1]");
      }
      for (String region : hops) {
        Integer p = parallelism.get(region);
        if (p == null || p <= 0) {
          throw new IllegalArgumentException("plan path " + hops + " goes through " + region
              + ", which is not one of the plan's regions " + parallelism.keySet());
        }
      }
      total += path.weight();
    }
    if (Math.abs(total - 1) > WEIGHT_SLACK) {
      throw new IllegalArgumentException("the plan's path weights sum to " + total + ", not 1");
    }
    topologicalOrder(paths); // refuses cycles
  }

  /**
   * Compiles a plan: one destination (multicast plans need one destination location per sink),
   * operators in every region a path uses, {@code perTaskManager} parallel subtasks per TaskManager
   * the plan gives a region.
   *
   * @throws IllegalArgumentException naming what the job cannot run
   */
  public static Route of(TransferPlan plan, int perTaskManager) {
    requireNonNull(plan, "plan is null");
    if (perTaskManager <= 0) {
      throw new IllegalArgumentException("parallelism per TaskManager must be positive, got " + perTaskManager);
    }
    if (plan.destinations().size() != 1) {
      throw new IllegalArgumentException("the plan has " + plan.destinations().size()
          + " destinations " + plan.destinations() + "; cp and sync take a plan with one destination");
    }
    Map<String, Integer> taskManagers = new LinkedHashMap<>();
    for (TransferPlan.Node node : plan.regions()) {
      int tms = Math.max(1, node.taskManagers() > 0 ? node.taskManagers() : node.vms());
      taskManagers.merge(node.region().toString(), tms, Integer::sum);
    }
    List<Hops> paths = new ArrayList<>();
    double weights = 0;
    for (TransferPlan.Path path : plan.paths()) {
      if (path.weight() <= 0) {
        continue; // a path the solver left empty
      }
      paths.add(new Hops(path.hops().stream().map(RegionId::toString).toList(), path.weight()));
      weights += path.weight();
    }
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("the plan has no path with a positive weight");
    }
    if (Math.abs(weights - 1) > WEIGHT_SLACK) { // renormalise rounding in a hand-written plan
      double sum = weights;
      paths = paths.stream().map(p -> new Hops(p.regions(), p.weight() / sum)).toList();
    }
    Map<String, Integer> parallelism = new LinkedHashMap<>();
    for (Hops path : paths) {
      for (String region : path.regions()) {
        Integer tms = taskManagers.get(region);
        if (tms == null) {
          throw new IllegalArgumentException("plan path " + path.regions() + " goes through " + region
              + ", which is not one of the plan's regions " + taskManagers.keySet());
        }
        parallelism.put(region, tms * perTaskManager);
      }
    }
    Map<String, Double> planned = new LinkedHashMap<>();
    for (TransferPlan.Edge edge : plan.edges()) {
      planned.merge(edgeName(edge.src().toString(), edge.dst().toString()), edge.gbps(), Double::sum);
    }
    TransferPlan.Figures figures = plan.figures();
    double usdPerGb = plan.volumeGb() > 0 ? figures.totalUsd() / plan.volumeGb() : 0;
    return new Route(plan.source().toString(), plan.destinations().get(0).toString(), parallelism,
        perTaskManager, paths, plan.formulation(), planned, figures.throughputGbps(), usdPerGb);
  }

  /** The same route with other parallelism per region. */
  public Route withParallelism(Map<String, Integer> newParallelism) {
    return new Route(source, destination, newParallelism, perTaskManager, paths, formulation, plannedGbps, predictedGbps,
        predictedUsdPerGb);
  }

  /** Every region that runs operators: the source first, the destination last. */
  public List<String> regions() {
    return topologicalOrder(paths);
  }

  public int parallelismOf(String region) {
    Integer p = parallelism.get(region);
    if (p == null) {
      throw new IllegalArgumentException("region " + region + " is not in the route");
    }
    return p;
  }

  /** The regions the given region sends to, in a fixed order. */
  public List<String> next(String region) {
    Set<String> next = new LinkedHashSet<>();
    for (Hops path : paths) {
      int at = path.regions().indexOf(region);
      if (at >= 0 && at < path.regions().size() - 1) {
        next.add(path.regions().get(at + 1));
      }
    }
    return List.copyOf(next);
  }

  /** The overlay edges the paths use, as "src->dst", in a fixed order. */
  public List<String> edges() {
    Set<String> edges = new LinkedHashSet<>();
    for (String region : regions()) {
      for (String next : next(region)) {
        edges.add(edgeName(region, next));
      }
    }
    return List.copyOf(edges);
  }

  /** The share of the bytes each edge carries according to the path weights. */
  public Map<String, Double> edgeShares() {
    Map<String, Double> shares = new LinkedHashMap<>();
    for (String edge : edges()) {
      shares.put(edge, 0.0);
    }
    for (Hops path : paths) {
      for (int i = 0; i + 1 < path.regions().size(); i++) {
        shares.merge(edgeName(path.regions().get(i), path.regions().get(i + 1)), path.weight(), Double::sum);
      }
    }
    return shares;
  }

  public static String edgeName(String from, String to) {
    return from + "->" + to;
  }

  /** The external resource a region's TaskManagers advertise: {@code region-} and the region's slug. */
  public static String resourceName(String region) {
    return "region-" + slug(region);
  }

  /**
   * The region whose external resource this is ({@code region-aws-us-east-1} -> {@code
   * aws:us-east-1}); empty when the name is not that of a region id. A slug turns the ':' after the
   * cloud's prefix (aws, gcp, azure, none of which holds a '-') into a '-', so the first '-' is it.
   */
  public static Optional<String> regionOfResource(String resource) {
    String prefix = "region-";
    int dash = resource.indexOf('-', prefix.length());
    if (!resource.startsWith(prefix) || dash < 0) {
      return Optional.empty();
    }
    String id = resource.substring(prefix.length(), dash) + ":" + resource.substring(dash + 1);
    try {
      String region = RegionId.parse(id).toString();
      return resourceName(region).equals(resource) ? Optional.of(region) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@code aws:us-east-1} -> {@code aws-us-east-1}: lower case, every other character a '-'. */
  public static String slug(String region) {
    return region.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "-");
  }

  /** The resource id of a region's TaskManager, as the TaskManager bootstrap names it. */
  public static String taskManagerId(String region, int index) {
    return slug(region) + "-tm" + index;
  }

  private static List<String> topologicalOrder(List<Hops> paths) {
    Map<String, Set<String>> next = new LinkedHashMap<>();
    Map<String, Integer> incoming = new HashMap<>();
    for (Hops path : paths) {
      for (int i = 0; i < path.regions().size(); i++) {
        String region = path.regions().get(i);
        next.computeIfAbsent(region, r -> new LinkedHashSet<>());
        incoming.putIfAbsent(region, 0);
        if (i + 1 < path.regions().size()) {
          String to = path.regions().get(i + 1);
          if (next.get(region).add(to)) {
            incoming.merge(to, 1, Integer::sum);
          }
        }
      }
    }
    Deque<String> ready = new ArrayDeque<>();
    next.keySet().stream().filter(r -> incoming.get(r) == 0).forEach(ready::add);
    List<String> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      String region = ready.poll();
      order.add(region);
      for (String to : next.getOrDefault(region, Set.of())) {
        if (incoming.merge(to, -1, Integer::sum) == 0) {
          ready.add(to);
        }
      }
    }
    if (order.size() != next.size()) {
      throw new IllegalArgumentException("the plan's paths form a cycle");
    }
    return order;
  }
}
