package io.skyplane.e2e;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Flink standalone cluster on this machine, driven through the scripts in {@code deploy/local/bin}
 * exactly as a user runs them: {@code local-cluster up/down}, {@code taskmanager-bootstrap},
 * {@code flink run}. Ports are free ones picked here; the state dir holds configs, logs and pids.
 */
final class LocalCluster implements AutoCloseable {
  static final Path BIN = Proc.ROOT.resolve("deploy/local/bin");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A TaskManager as the REST API lists it; {@code region} is the region slug of its external resource. */
  record TaskManagerInfo(String resourceId, String region, int slots, Map<String, Long> extendedResources) {
    TaskManagerInfo {
      requireNonNull(resourceId, "resourceId is null");
      requireNonNull(region, "region is null");
      extendedResources = Map.copyOf(extendedResources);
    }
  }

  private final Path state;
  private final Map<String, String> env;
  private final int restPort;
  private final int rpcPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The job jar every process of the cluster has on its classpath ({@code --job-jar}), or null. */
  private Path jobJar;

  private LocalCluster(Path state, Map<String, String> env, int restPort, int rpcPort) {
    this.state = state;
    this.env = Map.copyOf(env);
    this.restPort = restPort;
    this.rpcPort = rpcPort;
  }

  /** {@code local-cluster up}; on failure the cluster is taken down and the logs go into the exception. */
  static LocalCluster start(Path state, Map<String, Integer> taskManagersPerRegion, Map<String, String> env)
      throws IOException, InterruptedException {
    return start(state, taskManagersPerRegion, env, null);
  }

  /** As {@link #start(Path, Map, Map)}, with {@code jobJar} installed on every process ({@code --job-jar}). */
  static LocalCluster start(Path state, Map<String, Integer> taskManagersPerRegion, Map<String, String> env,
      Path jobJar) throws IOException, InterruptedException {
    LocalCluster cluster = new LocalCluster(state.toAbsolutePath(), env, Proc.freePort(), Proc.freePort());
    cluster.jobJar = jobJar;
    String spec = taskManagersPerRegion.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    List<String> args = new ArrayList<>(List.of("up", "--taskmanagers", spec, "--state", cluster.state.toString(),
        "--rest-port", String.valueOf(cluster.restPort), "--rpc-port", String.valueOf(cluster.rpcPort)));
    if (jobJar != null) {
      args.addAll(List.of("--job-jar", jobJar.toString()));
    }
    Proc up = cluster.script("local-cluster", args.toArray(String[]::new));
    if (up.exitCode() != 0) {
      String logs = cluster.logTails();
      cluster.close();
      throw new IllegalStateException("local-cluster up failed: " + up + logs);
    }
    return cluster;
  }

  String restUrl() {
    return "http://127.0.0.1:" + restPort;
  }

  Path logDir() {
    return state.resolve("log");
  }

  Path state() {
    return state;
  }

  List<TaskManagerInfo> taskManagers() throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(restUrl() + "/taskmanagers")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET /taskmanagers: HTTP " + response.statusCode() + ": " + response.body());
    }
    List<TaskManagerInfo> result = new ArrayList<>();
    for (JsonNode tm : JSON.readTree(response.body()).path("taskmanagers")) {
      Map<String, Long> extended = new HashMap<>();
      String region = "";
      for (Iterator<Map.Entry<String, JsonNode>> it = tm.path("totalResource").path("extendedResources").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> resource = it.next();
        extended.put(resource.getKey(), resource.getValue().asLong());
        if (resource.getKey().startsWith("region-")) {
          region = resource.getKey().substring("region-".length());
        }
      }
      result.add(new TaskManagerInfo(tm.path("id").asText(), region, tm.path("slotsNumber").asInt(), extended));
    }
    return result;
  }

  /** GET of a REST path, e.g. {@code /jobs/overview}, as JSON. */
  JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(restUrl() + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** Waits until the REST API lists exactly {@code n} TaskManagers (120 s at most); returns the time it took. */
  Duration awaitTaskManagers(int n) throws IOException, InterruptedException {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(120).toNanos();
    List<TaskManagerInfo> last = List.of();
    while (System.nanoTime() < deadline) {
      last = taskManagers();
      if (last.size() == n) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("expected " + n + " TaskManagers, REST lists " + last + logTails());
  }

  /** kill -9 of a TaskManager started by the scripts (its pid file). */
  void killTaskManager(String region, int index) throws IOException, InterruptedException {
    Path pidFile = state.resolve("pids/tm-" + slug(region) + "-" + index + ".pid");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    ProcessHandle process = ProcessHandle.of(pid)
        .orElseThrow(() -> new IllegalStateException("TaskManager " + region + "/" + index + " is not running"));
    process.destroyForcibly();
    process.onExit().join();
  }

  /** kill -9 of the TaskManager with this resource id (e.g. {@code aws-us-east-1-tm1}, as the REST API names it). */
  void killTaskManager(String resourceId) throws IOException, InterruptedException {
    for (String line : Files.readAllLines(state.resolve("taskmanagers.tsv"))) {
      String[] fields = line.split("\t");
      if (fields.length == 3 && fields[2].equals(resourceId)) {
        killTaskManager(fields[0], Integer.parseInt(fields[1]));
        return;
      }
    }
    throw new IllegalArgumentException("no TaskManager " + resourceId + " in " + state.resolve("taskmanagers.tsv"));
  }

  /** kill -9 of the JobManager (its pid file); the TaskManagers stay. */
  void killJobManager() throws IOException {
    long pid = Long.parseLong(Files.readString(state.resolve("pids/jm.pid")).strip());
    ProcessHandle process = ProcessHandle.of(pid)
        .orElseThrow(() -> new IllegalStateException("the JobManager is not running"));
    process.destroyForcibly();
    process.onExit().join();
  }

  /** The TaskManagers (resource ids) that run a task of the job, from the REST API. */
  List<String> taskManagersOf(String jobId) throws IOException, InterruptedException {
    List<String> ids = new ArrayList<>();
    for (JsonNode vertex : rest("/jobs/" + jobId).path("vertices")) {
      for (JsonNode tm : rest("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers")
          .path("taskmanagers")) {
        String id = tm.path("taskmanager-id").asText();
        if (!ids.contains(id)) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  /** Starts a TaskManager through taskmanager-bootstrap, as a cloud VM does. */
  Proc startTaskManager(String region, int index) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("--region", region, "--index", String.valueOf(index),
        "--jobmanager", "127.0.0.1:" + rpcPort, "--state", state.toString()));
    if (jobJar != null) {
      args.addAll(List.of("--job-jar", jobJar.toString()));
    }
    Proc proc = script("taskmanager-bootstrap", args.toArray(String[]::new));
    if (proc.exitCode() != 0) {
      throw new IllegalStateException("taskmanager-bootstrap failed: " + proc);
    }
    return proc;
  }

  /** {@code deploy/local/bin/flink run <ROOT>/job/target/skyplane-job.jar args...} against this cluster. */
  Proc flinkRun(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(BIN.resolve("flink").toString(), "run",
        Proc.ROOT.resolve("job/target/skyplane-job.jar").toString()));
    command.addAll(List.of(args));
    Map<String, String> environment = new HashMap<>(this.env);
    environment.putAll(env);
    environment.put("SKYPLANE_LOCAL_STATE", state.toString());
    return Proc.run(workDir, environment, command);
  }

  /**
   * {@code deploy/local/bin/flink run <ROOT>/job/target/skyplane-job.jar args...} started in the
   * background (SIGINT/SIGTERM at their defaults); output to {@code name.out/.err} in {@code outputDir}.
   */
  Proc.Started startFlinkRun(Path workDir, Map<String, String> env, Path outputDir, String name, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(BIN.resolve("flink").toString(), "run",
        Proc.ROOT.resolve("job/target/skyplane-job.jar").toString()));
    command.addAll(List.of(args));
    Map<String, String> environment = new HashMap<>(this.env);
    environment.putAll(env);
    environment.put("SKYPLANE_LOCAL_STATE", state.toString());
    return Proc.start(workDir, environment, Proc.withDefaultSignals(command), outputDir, name);
  }

  /** {@code local-cluster down}, then checks that no Java process of this cluster is left. */
  @Override
  public void close() throws IOException, InterruptedException {
    Proc down = script("local-cluster", "down", "--state", state.toString());
    List<String> left = javaProcessesOf(state);
    if (down.exitCode() != 0 || !left.isEmpty()) {
      throw new IllegalStateException("local-cluster down: " + down + "\nprocesses left: " + left);
    }
  }

  /** Command lines of the Java processes that name {@code dir}. */
  static List<String> javaProcessesOf(Path dir) {
    String needle = dir.toAbsolutePath() + "/";
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
        .filter(line -> line.contains(needle))
        .toList();
  }

  static String slug(String region) {
    return region.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "-");
  }

  Proc script(String name, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(BIN.resolve(name).toString()));
    command.addAll(List.of(args));
    return Proc.run(Proc.ROOT, env, command);
  }

  private String logTails() {
    if (!Files.isDirectory(logDir())) {
      return "";
    }
    StringBuilder tails = new StringBuilder();
    try (Stream<Path> logs = Files.list(logDir())) {
      for (Path log : logs.sorted().toList()) {
        List<String> lines = Files.readAllLines(log);
        tails.append("\n--- ").append(log.getFileName()).append('\n')
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tails.toString();
  }

}
