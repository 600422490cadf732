package io.skyplane.job.plan;

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
 * Which regions a running Flink cluster has TaskManagers in, read from its REST API: a TaskManager
 * belongs to a region when it advertises the region's external resource ({@code region-<slug>},
 * as the TaskManager bootstrap configures it).
 */
public final class ClusterRegions {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private ClusterRegions() {}

  /** Resource names ({@code region-<slug>}) to the ids of the TaskManagers advertising them. */
  public static Map<String, List<String>> taskManagers(URI rest) throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    JsonNode list = get(client, rest.resolve("/taskmanagers"));
    Map<String, List<String>> regions = new TreeMap<>();
    for (JsonNode tm : list.path("taskmanagers")) {
      String id = tm.path("id").asText();
      JsonNode resources = tm.path("totalResource").path("extendedResources");
      if (resources.isMissingNode()) {
        resources = get(client, rest.resolve("/taskmanagers/" + id)).path("totalResource").path("extendedResources");
      }
      for (Iterator<String> names = resources.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (name.startsWith("region-") && resources.path(name).asDouble() > 0) {
          regions.computeIfAbsent(name, n -> new ArrayList<>()).add(id);
        }
      }
    }
    return regions;
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
