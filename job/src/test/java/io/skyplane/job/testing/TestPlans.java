package io.skyplane.job.testing;

import io.skyplane.planner.TransferPlan;
import io.skyplane.planner.io.PlanJson;
import io.skyplane.planner.region.RegionId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-made transfer plans for tests, written as 'skyplane plan --json' writes them. */
public final class TestPlans {
  public static final String SOURCE = "aws:us-east-1";
  public static final String RELAY = "aws:us-west-2";
  public static final String DESTINATION = "gcp:europe-west4";

  private TestPlans() {}

  /**
   * source -> relay -> destination carrying {@code relayWeight} of the bytes, and source ->
   * destination the rest (no direct path when the weight is 1).
   */
  public static TransferPlan relayed(double relayWeight, int sourceTms, int relayTms, int destinationTms) {
    Map<String, Integer> tms = new LinkedHashMap<>();
    tms.put(SOURCE, sourceTms);
    tms.put(RELAY, relayTms);
    tms.put(DESTINATION, destinationTms);
    List<List<String>> hops = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    hops.add(List.of(SOURCE, RELAY, DESTINATION));
    weights.add(relayWeight);
    if (relayWeight < 1) {
      hops.add(List.of(SOURCE, DESTINATION));
      weights.add(1 - relayWeight);
    }
    return plan(tms, hops, weights);
  }

  /** A plan over the given regions (first = source, last = destination of every path). */
  public static TransferPlan plan(Map<String, Integer> taskManagers, List<List<String>> paths, List<Double> weights) {
    List<String> regions = new ArrayList<>(taskManagers.keySet());
    String source = regions.get(0);
    String destination = paths.get(0).get(paths.get(0).size() - 1);
    List<TransferPlan.Node> nodes = new ArrayList<>();
    for (String region : regions) {
      String role = region.equals(source) ? "source" : region.equals(destination) ? "destination" : "relay";
      int tms = taskManagers.get(region);
      nodes.add(new TransferPlan.Node(RegionId.parse(region), role, "test", tms, tms));
    }
    Map<String, Double> edgeGbps = new LinkedHashMap<>();
    List<TransferPlan.Path> planPaths = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      List<String> path = paths.get(i);
      double gbps = 10 * weights.get(i);
      for (int h = 0; h + 1 < path.size(); h++) {
        edgeGbps.merge(path.get(h) + "->" + path.get(h + 1), gbps, Double::sum);
      }
      planPaths.add(new TransferPlan.Path(path.stream().map(RegionId::parse).toList(), weights.get(i), gbps));
    }
    List<TransferPlan.Edge> edges = new ArrayList<>();
    edgeGbps.forEach((edge, gbps) -> {
      String[] ends = edge.split("->");
      edges.add(new TransferPlan.Edge(RegionId.parse(ends[0]), RegionId.parse(ends[1]), gbps, 8, 5, 0.02));
    });
    TransferPlan.Figures figures = new TransferPlan.Figures(10, 1, 120, taskManagers.size(), 0.02, 0.01);
    return new TransferPlan("max-throughput", "test plan", RegionId.parse(source),
        List.of(RegionId.parse(destination)), 1, nodes, edges, planPaths, figures, null, false, "test");
  }

  /** Writes the plan as JSON and returns the file. */
  public static Path write(TransferPlan plan, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, PlanJson.write(plan), StandardCharsets.UTF_8);
    return file;
  }
}
