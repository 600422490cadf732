package io.skyplane.job.plan;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which regions a running Flink cluster has TaskManagers in, and where those accept data
 * connections, read from its REST API: a TaskManager belongs to a region when it advertises the
 * region's external resource ({@code region-<slug>}, as the TaskManager bootstrap configures it).
 */
public final class ClusterRegions {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private ClusterRegions() {}

  /**
   * A TaskManager as the REST API lists it.
   *
   * @param id its resource id, e.g. {@code aws-us-east-1-tm0}
   * @param host the address it advertises (from its RPC path), which other TaskManagers use to
   *     reach its data port too; empty when the path has none
   * @param dataPort the port of its data (shuffle) server; 0 or less when it has none
   * @param resources the region resources ({@code region-<slug>}) it advertises
   * @param freeCpuCores CPU cores not yet given to slots
   * @param freeTaskHeapMb task heap (MiB) not yet given to slots
   */
  public record TaskManager(
      String id, String host, int dataPort, List<String> resources, double freeCpuCores, long freeTaskHeapMb) {
    public TaskManager {
      requireNonNull(id, "id is null");
      requireNonNull(host, "host is null");
      resources = List.copyOf(requireNonNull(resources, "resources is null"));
    }

    /** How many slots of {@code cpu} cores and {@code heapMb} MiB of task heap still fit. */
    public int slotsFree(double cpu, int heapMb) {
      return (int) Math.min(Math.floor(freeCpuCores / cpu + 1e-9), freeTaskHeapMb / heapMb);
    }
  }

  /** Resource names ({@code region-<slug>}) to the ids of the TaskManagers advertising them. */
  public static Map<String, List<String>> taskManagers(URI rest) throws IOException {
    return byResource(list(rest));
  }

  /** Resource names ({@code region-<slug>}) to the ids of the TaskManagers advertising them. */
  public static Map<String, List<String>> byResource(List<TaskManager> taskManagers) {
    Map<String, List<String>> regions = new TreeMap<>();
    for (TaskManager tm : taskManagers) {
      for (String resource : tm.resources()) {
        regions.computeIfAbsent(resource, n -> new ArrayList<>()).add(tm.id());
      }
    }
    return regions;
  }

  /** The cluster's TaskManagers ({@code GET /taskmanagers}). */
  public static List<TaskManager> list(URI rest) throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    JsonNode list = get(client, rest.resolve("/taskmanagers"));
    List<TaskManager> taskManagers = new ArrayList<>();
    for (JsonNode tm : list.path("taskmanagers")) {
      if (tm.path("totalResource").path("extendedResources").isMissingNode()) {
        tm = get(client, rest.resolve("/taskmanagers/" + tm.path("id").asText()));
      }
      taskManagers.add(taskManager(tm));
    }
    return taskManagers;
  }

  /** One entry of {@code GET /taskmanagers} (or {@code /taskmanagers/ID}). */
  static TaskManager taskManager(JsonNode tm) {
    List<String> regions = new ArrayList<>();
    JsonNode resources = tm.path("totalResource").path("extendedResources");
    for (Iterator<String> names = resources.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (name.startsWith("region-") && resources.path(name).asDouble() > 0) {
        regions.add(name);
      }
    }
    JsonNode free = tm.path("freeResource");
    return new TaskManager(tm.path("id").asText(), host(tm.path("path").asText()), tm.path("dataPort").asInt(-1),
        regions, free.path("cpuCores").asDouble(0), free.path("taskHeapMemory").asLong(0));
  }

  /**
   * The host of an RPC path such as {@code pekko.tcp://flink@10.0.0.5:6122/user/rpc/taskmanager_0}
   * ({@code [::1]} for IPv6 comes back as {@code ::1}); empty when there is none.
   */
  static String host(String rpcPath) {
    int at = rpcPath.indexOf('@');
    if (at < 0) {
      return "";
    }
    String rest = rpcPath.substring(at + 1);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      return close < 0 ? "" : authority.substring(1, close);
    }
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  /**
   * Checks that every region of the route has a TaskManager.
   *
   * @throws IllegalArgumentException naming the regions without one
   */
  public static void check(Route route, Map<String, List<String>> taskManagers, String cluster) {
    List<String> missing = new ArrayList<>();
    for (String region : route.regions()) {
      if (taskManagers.getOrDefault(Route.resourceName(region), List.of()).isEmpty()) {
        missing.add(region);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("the cluster at " + cluster + " has no TaskManager in region"
          + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + " of the plan"
          + " (regions with TaskManagers: " + (taskManagers.isEmpty() ? "none" : String.join(", ",
              taskManagers.keySet().stream().map(n -> n.substring("region-".length())).toList()))
          + "); start them with deploy/local/bin/taskmanager-bootstrap --region REGION");
    }
  }

  /**
   * The route with each region's parallelism capped at what the region's TaskManagers on the
   * cluster run ({@code perTaskManager} each): a plan may ask for more TaskManagers than were
   * started. Reports each cap through {@code warn}.
   */
  public static Route fit(Route route, Map<String, List<String>> taskManagers, int perTaskManager,
      java.util.function.Consumer<String> warn) {
    Map<String, Integer> parallelism = new java.util.LinkedHashMap<>();
    for (String region : route.regions()) {
      int available = taskManagers.getOrDefault(Route.resourceName(region), List.of()).size() * perTaskManager;
      int planned = route.parallelismOf(region);
      if (available < planned) {
        warn.accept("the plan gives " + region + " " + planned + " subtasks; its " + available / perTaskManager
            + " TaskManager(s) on the cluster run " + available);
      }
      parallelism.put(region, Math.min(planned, available));
    }
    return route.withParallelism(parallelism);
  }

  private static JsonNode get(HttpClient client, URI uri) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("GET " + uri + " answered HTTP " + response.statusCode());
      }
      return JSON.readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking " + uri, e);
    }
  }
}
