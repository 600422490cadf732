package io.skyplane.job.profile;

import io.skyplane.job.plan.ClusterRegions;
import io.skyplane.job.plan.ClusterRegions.TaskManager;
import io.skyplane.job.plan.Route;
import io.skyplane.job.transfer.ClusterTarget;
import io.skyplane.job.transfer.TransferJob;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import javax.annotation.Nullable;

/**
 * The cluster a profile runs on, as the client sees it before submitting: the embedded one (one
 * TaskManager in this JVM stands for every region), or the one {@code flink run} submits to, whose
 * TaskManagers, regions and data ports its REST API lists.
 */
public final class ProfileCluster implements AutoCloseable {
  @Nullable private final URI rest;
  private final List<TaskManager> taskManagers;
  @Nullable private LoopbackTarget loopback;

  private ProfileCluster(@Nullable URI rest, List<TaskManager> taskManagers) {
    this.rest = rest;
    this.taskManagers = List.copyOf(taskManagers);
  }

  /**
   * The cluster of this client: embedded, or the one {@code flink run} targets (asked for its
   * TaskManagers now).
   *
   * @throws IllegalArgumentException when the cluster does not answer
   */
  public static ProfileCluster connect() {
    ClusterTarget target = ClusterTarget.context();
    if (target.embedded()) {
      return new ProfileCluster(null, List.of());
    }
    URI rest = target.rest();
    try {
      return new ProfileCluster(rest, ClusterRegions.list(rest));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot ask the cluster at " + rest + " for its TaskManagers: "
          + e.getMessage(), e);
    }
  }

  public boolean embedded() {
    return rest == null;
  }

  /** "embedded", or the cluster's REST address. */
  public String name() {
    return rest == null ? "embedded" : rest.toString();
  }

  /**
   * The regions to profile: {@code requested}, each checked to have TaskManagers with room for
   * {@code streams} profile subtasks, or by default every region the TaskManagers advertise.
   *
   * @throws IllegalArgumentException naming what is missing
   */
  public List<String> regions(@Nullable List<String> requested, int streams, Consumer<String> warn) {
    if (embedded()) {
      if (requested == null) {
        throw new IllegalArgumentException("the embedded cluster has no TaskManagers to ask for regions: name them with"
            + " --regions R1,R2 (or submit with flink run to a cluster)");
      }
      return checkCount(requested, "");
    }
    return resolve(taskManagers, requested, streams, name(), warn);
  }

  /** Where each region's TaskManagers accept data connections: a loopback stand-in on the embedded cluster. */
  public Map<String, List<Endpoint>> targets(List<String> regions) throws IOException {
    Map<String, List<Endpoint>> targets = new LinkedHashMap<>();
    if (embedded()) {
      if (loopback == null) {
        loopback = LoopbackTarget.open();
      }
      regions.forEach(region -> targets.put(region, List.of(loopback.endpoint())));
      return targets;
    }
    for (String region : regions) {
      List<Endpoint> endpoints = new ArrayList<>();
      for (TaskManager tm : taskManagers) {
        if (tm.resources().contains(Route.resourceName(region)) && !tm.host().isEmpty() && tm.dataPort() > 0) {
          endpoints.add(new Endpoint(tm.host(), tm.dataPort()));
        }
      }
      targets.put(region, endpoints);
    }
    return targets;
  }

  @Override
  public void close() throws IOException {
    if (loopback != null) {
      loopback.close();
    }
  }

  /** {@link #regions} against a cluster's TaskManagers. */
  static List<String> resolve(List<TaskManager> taskManagers, @Nullable List<String> requested, int streams,
      String cluster, Consumer<String> warn) {
    Map<String, List<String>> byResource = ClusterRegions.byResource(taskManagers);
    TreeSet<String> available = new TreeSet<>();
    for (String resource : byResource.keySet()) {
      Route.regionOfResource(resource).ifPresentOrElse(available::add,
          () -> warn.accept("TaskManagers " + byResource.get(resource) + " advertise " + resource
              + ", which names no region id (provider:region): left out"));
    }
    String where = " (the cluster at " + cluster + " has TaskManagers in "
        + (available.isEmpty() ? "no region" : String.join(", ", available)) + ")";
    List<String> regions;
    if (requested == null) {
      regions = List.copyOf(available);
    } else {
      List<String> missing = requested.stream().filter(r -> !available.contains(r)).toList();
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("no TaskManager in region" + (missing.size() == 1 ? " " : "s ")
            + String.join(", ", missing) + where + "; start them with deploy/local/bin/taskmanager-bootstrap --region REGION");
      }
      regions = requested;
    }
    checkCount(regions, where);
    for (String region : regions) {
      int room = 0;
      for (TaskManager tm : taskManagers) {
        if (tm.resources().contains(Route.resourceName(region))) {
          room += tm.slotsFree(TransferJob.REGION_SLOT_CPU, TransferJob.REGION_SLOT_HEAP_MB);
        }
      }
      if (room < streams) {
        throw new IllegalArgumentException("the TaskManagers of " + region + " have room for " + room
            + " profile subtasks (" + TransferJob.REGION_SLOT_CPU + " cores and " + TransferJob.REGION_SLOT_HEAP_MB
            + " MiB task heap each) and --streams " + streams + " needs " + streams
            + ": lower --streams, or start more TaskManagers there");
      }
    }
    return regions;
  }

  private static List<String> checkCount(List<String> regions, String where) {
    if (regions.size() < 2) {
      throw new IllegalArgumentException("a profile needs at least 2 regions, got " + regions.size()
          + (regions.isEmpty() ? "" : " (" + String.join(", ", regions) + ")") + where);
    }
    return regions;
  }
}
