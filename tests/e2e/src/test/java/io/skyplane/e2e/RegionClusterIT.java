package io.skyplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.job.testing.TestPlans;
import io.skyplane.testing.servers.S3Endpoint;
import io.skyplane.testing.servers.S3ServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A plan src -> relay -> dst on a real multi-process cluster from {@code deploy/local}: TaskManagers
 * in three regions, the job submitted by {@code flink run} with the jar users get. Checks where
 * every operator ran (REST), what went through the relay, byte-identical results, a TaskManager
 * killed mid-transfer, and a plan naming a region without TaskManagers.
 */
@TestMethodOrder(OrderAnnotation.class)
class RegionClusterIT {
  private static final String S = TestPlans.SOURCE;
  private static final String R = TestPlans.RELAY;
  private static final String D = TestPlans.DESTINATION;
  private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();
  @TempDir static Path tmp;
  static final Path JOB_JAR = Proc.ROOT.resolve("job/target/skyplane-job.jar");
  static LocalCluster cluster;
  static Map<String, String> credentials;

  @BeforeAll
  static void up() throws Exception {
    S3Endpoint s3 = S3.endpoint();
    // TaskManagers get credentials only from their environment, as on a VM
    credentials = Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey(),
        "AWS_REGION", s3.region());
    Map<String, Integer> regions = new LinkedHashMap<>();
    regions.put(S, 2);
    regions.put(R, 1);
    regions.put(D, 2);
    // the job jar installed on every process: `flink run` still ships its own, bin/skyplane need not
    cluster = LocalCluster.start(tmp.resolve("state"), regions, credentials, JOB_JAR);
  }

  @AfterAll
  static void down() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void flinkRunFollowsThePlanOnEachRegionsTaskManagers() throws Exception {
    Path src = tmp.resolve("placement/src");
    for (int i = 0; i < 30; i++) {
      random(src.resolve("d" + (i % 3) + "/f" + i), 4 * 256 * 1024, i); // 4 chunks each
    }
    Path plan = TestPlans.write(TestPlans.relayed(0.6, 2, 1, 2), tmp.resolve("placement/plan.json"));
    Path dst = tmp.resolve("placement/dst");
    Path report = tmp.resolve("placement/report.json");

    Proc run = cluster.flinkRun(tmp, Map.of(), "cp", "-r", src.toString(), dst.toString(), "--plan", plan.toString(),
        "--tm-parallelism", "1", "--chunk-size", "256KiB", "--frame-size", "64KiB", "-q", "--json", report.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(Tree.digests(dst)).isEqualTo(Tree.digests(src));
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    System.out.println("placement report: " + json);
    Map<String, JsonNode> edges = edges(json);
    assertThat(edges).containsOnlyKeys(S + "->" + R, R + "->" + D, S + "->" + D);
    // bytes through the relay follow the plan's path weight within 10 %
    assertThat(edges.get(S + "->" + R).get("share").asDouble()).isCloseTo(0.6, within(0.06));
    assertThat(edges.get(R + "->" + D).get("bytes").asLong()).isEqualTo(edges.get(S + "->" + R).get("bytes").asLong());
    assertThat(json.get("plan").get("parallelism").get(S).asInt()).isEqualTo(2);

    // every operator's subtasks ran only on TaskManagers of its region
    String jobId = jobId(run);
    JsonNode job = cluster.rest("/jobs/" + jobId);
    Set<String> regionsSeen = new HashSet<>();
    for (JsonNode vertex : job.path("vertices")) {
      String name = vertex.path("name").asText();
      Matcher at = Pattern.compile("@([a-z]+:[a-z0-9-]+)").matcher(name);
      String region = at.find() ? at.group(1) : null;
      assertThat(region).as("vertex without a region: " + name).isNotNull();
      regionsSeen.add(region);
      JsonNode tms = cluster.rest("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers");
      assertThat(tms.path("taskmanagers")).as(name).isNotEmpty();
      for (JsonNode tm : tms.path("taskmanagers")) {
        String id = tm.path("taskmanager-id").asText(tm.path("resource-id").asText());
        assertThat(id).as(name).startsWith(LocalCluster.slug(region) + "-tm");
      }
    }
    assertThat(regionsSeen).containsExactlyInAnyOrder(S, R, D);
  }

  @Test
  @Order(2)
  void aPlanNamingARegionWithoutTaskManagersFailsFastNamingIt() throws Exception {
    Map<String, Integer> tms = new LinkedHashMap<>();
    tms.put(S, 1);
    tms.put("azure:westeurope", 1);
    tms.put(D, 1);
    Path plan = TestPlans.write(TestPlans.plan(tms, List.of(List.of(S, "azure:westeurope", D)), List.of(1.0)),
        tmp.resolve("missing/plan.json"));
    Path src = tmp.resolve("missing/src");
    random(src.resolve("a"), 1000, 1);
    Path dst = tmp.resolve("missing/dst");

    long start = System.nanoTime();
    Proc run = cluster.flinkRun(tmp, Map.of(), "cp", "-r", src.toString(), dst.toString(), "--plan", plan.toString());
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("no TaskManager in region azure:westeurope");
    assertThat(dst).doesNotExist();
    assertThat(seconds).as("fails before submitting, not after a slot request timeout").isLessThan(60);
  }

  @Test
  @Order(3)
  void losingATaskManagerMidTransferStillCommitsEveryObjectOnceIntact() throws Exception {
    S3Endpoint s3 = S3.endpoint();
    try (S3Client admin = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true)
        .region(Region.of(s3.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        .build()) {
      admin.createBucket(b -> b.bucket("failover"));
      Path stores = tmp.resolve("failover/stores.properties");
      Files.createDirectories(stores.getParent());
      Files.writeString(stores, "s3.endpoint=" + s3.endpoint() + "\ns3.path-style=true\ns3.region=" + s3.region() + "\n");
      Path src = tmp.resolve("failover/src");
      int files = 32;
      for (int i = 0; i < files; i++) {
        random(src.resolve("part-" + i), 10L * 1024 * 1024 + i, 100 + i); // 3 parts of S3's smallest size
      }
      Path plan = TestPlans.write(TestPlans.relayed(0.5, 2, 1, 2), tmp.resolve("failover/plan.json"));
      Path report = tmp.resolve("failover/report.json");

      CompletableFuture<Proc> run = CompletableFuture.supplyAsync(() -> {
        try {
          return cluster.flinkRun(tmp, credentials, "cp", "-r", src.toString(), "s3://failover/data/",
              "--store-config", stores.toString(), "--plan", plan.toString(), "--tm-parallelism", "1",
              "--chunk-size", "5MiB", "-q", "--json", report.toString());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      // kill a destination TaskManager once its writer runs and uploads are under way (parts stream
      // as they arrive, so objects appear only towards the end: do not wait for them)
      long deadline = System.currentTimeMillis() + 120_000;
      Integer victim = null;
      while (!run.isDone() && System.currentTimeMillis() < deadline && victim == null) {
        if (!admin.listMultipartUploads(b -> b.bucket("failover")).uploads().isEmpty()
            || admin.listObjectsV2(b -> b.bucket("failover")).keyCount() > 0) {
          victim = destinationWriterTaskManager();
        }
        if (victim == null) {
          Thread.sleep(50);
        }
      }
      assertThat(run.isDone()).as("the transfer ended before a TaskManager could be killed: %s",
          run.isDone() ? run.join() : "").isFalse();
      assertThat(victim).as("no destination writer found running within 120 s").isNotNull();
      cluster.killTaskManager(D, victim);
      assertEdgeMetricsAreInRest(); // the restarted job runs the whole transfer again: time enough
      Proc done = run.get(5, TimeUnit.MINUTES);
      cluster.startTaskManager(D, victim); // back for the tests after this one
      cluster.awaitTaskManagers(5);

      assertThat(done.exitCode()).as(done.toString()).isZero();
      JsonNode json = new ObjectMapper().readTree(report.toFile());
      System.out.println("failover report: " + json);
      assertThat(json.get("restarts").asInt()).as(json.toString()).isPositive();
      assertThat(json.get("objectsCommitted").asLong()).isEqualTo(files);
      // exactly the source's objects, byte for byte, and no upload left open
      Map<String, String> expected = new TreeMap<>();
      for (int i = 0; i < files; i++) {
        expected.put("data/part-" + i, Tree.sha256(Files.newInputStream(src.resolve("part-" + i))));
      }
      Map<String, String> actual = new TreeMap<>();
      for (S3Object object : admin.listObjectsV2Paginator(b -> b.bucket("failover")).contents()) {
        actual.put(object.key(), Tree.sha256(admin.getObject(b -> b.bucket("failover").key(object.key()))));
      }
      assertThat(actual).isEqualTo(expected);
      assertThat(admin.listMultipartUploads(b -> b.bucket("failover")).uploads()).isEmpty();
      assertThat(done.out() + done.err()).doesNotContain(s3.secretKey());
    }
  }

  @Test
  @Order(4)
  void flinkRunPlansInlineWithThePlanner() throws Exception {
    Path src = tmp.resolve("planner/src");
    for (int i = 0; i < 6; i++) {
      random(src.resolve("f" + i), 700_000 + i, 300 + i);
    }
    Path dst = tmp.resolve("planner/dst");
    Path report = tmp.resolve("planner/report.json");

    Proc run = cluster.flinkRun(tmp, Map.of(), "cp", "-r", src.toString(), dst.toString(), "--planner", "direct",
        "--source-region", S, "--destination-region", D, "--tm-parallelism", "1", "--chunk-size", "256KiB",
        "--json", report.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(Tree.digests(dst)).isEqualTo(Tree.digests(src));
    // the planner's plan is printed first; it asks for more TaskManagers than the cluster has
    assertThat(run.err()).contains("Plan (direct)").contains("warning");
    JsonNode plan = new ObjectMapper().readTree(report.toFile()).get("plan");
    assertThat(plan.get("formulation").asText()).isEqualTo("direct");
    assertThat(plan.get("parallelism").get(S).asInt()).isEqualTo(2); // its two TaskManagers, one subtask each
    assertThat(edges(new ObjectMapper().readTree(report.toFile()))).containsOnlyKeys(S + "->" + D);
  }

  /**
   * A cluster with the job jar installed (local-cluster --job-jar) runs bin/skyplane's jobs without
   * the jar being shipped: no TaskManager downloads a job-jar blob for it (Flink's own log says when
   * one does, as it does for `flink run`, which always ships its jar), and the copy is whole.
   */
  @Test
  @Order(5)
  void withTheJobJarInstalledJobsRunWithoutShippingIt() throws Exception {
    Path src = tmp.resolve("installed/src");
    for (int i = 0; i < 4; i++) {
      random(src.resolve("f" + i), 500_000 + i, 400 + i);
    }
    String[] route = {"--planner", "direct", "--source-region", S, "--destination-region", D,
        "--tm-parallelism", "1", "--chunk-size", "256KiB"};

    int before = jarDownloads();
    Proc shipped = cluster.flinkRun(tmp, Map.of(), concat(
        new String[] {"cp", "-r", src.toString(), tmp.resolve("installed/shipped").toString()}, route));
    assertThat(shipped.exitCode()).as(shipped.toString()).isZero();
    assertThat(jarDownloads()).as("flink run ships the jar: TaskManagers download it").isGreaterThan(before);

    int afterShipped = jarDownloads();
    Path dst = tmp.resolve("installed/dst");
    Proc run = Proc.run(tmp, credentials, Proc.skyplane(List.of(concat(new String[] {"cp", "-r", src.toString(),
        dst.toString(), "--jobmanager", cluster.restUrl(), "-q"}, route))));

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(Tree.digests(dst)).isEqualTo(Tree.digests(src));
    assertThat(jarDownloads()).as("no TaskManager downloaded a job jar").isEqualTo(afterShipped);
    assertThat(cluster.rest("/jobmanager/environment").path("classpath").toString())
        .contains("skyplane-job-");
  }

  /** TaskManager log lines of Flink's BlobClient fetching a job's permanent blob (its jar). */
  private static int jarDownloads() throws Exception {
    int n = 0;
    try (var logs = Files.list(cluster.logDir())) {
      for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("tm-")
          && p.getFileName().toString().endsWith(".log")).toList()) {
        for (String line : Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
          if (line.contains("BlobClient") && line.contains("Downloading") && line.contains("/p-")) {
            n++;
          }
        }
      }
    }
    return n;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /**
   * The routing operators' per-edge metrics are listed by the REST API while the job runs (the
   * JobManager fetches metrics every few seconds: wait for them).
   */
  private static void assertEdgeMetricsAreInRest() throws Exception {
    String last = "no running job with a relay @" + R;
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      String vertex = runningVertex("relay @" + R);
      if (vertex != null) {
        last = cluster.rest(vertex + "/metrics").toString();
        if (last.contains("bytesPerSecond")) {
          System.out.println("relay metrics: " + last);
          assertThat(last).contains("chunks").contains("edge");
          return;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no per-edge metrics in REST: " + last);
  }

  /** The index of a destination TaskManager that runs a writer of the running job, or null (not yet deployed). */
  private static Integer destinationWriterTaskManager() throws Exception {
    String vertex = runningVertex("write @" + D);
    if (vertex == null) {
      return null;
    }
    JsonNode managers = cluster.rest(vertex + "/taskmanagers").path("taskmanagers");
    if (managers.isEmpty()) {
      return null;
    }
    String id = managers.get(0).path("taskmanager-id").asText();
    if (!id.contains("-tm")) {
      return null; // "(unassigned)": not deployed yet
    }
    assertThat(id).startsWith(LocalCluster.slug(D) + "-tm");
    return Integer.parseInt(id.substring(id.lastIndexOf("-tm") + 3));
  }

  /** The REST path of the running (or restarting) job's vertex whose name contains {@code name}, or null. */
  private static String runningVertex(String name) throws Exception {
    for (JsonNode job : cluster.rest("/jobs/overview").path("jobs")) {
      if (job.path("state").asText().matches("RUNNING|RESTARTING|CREATED")) {
        String jobId = job.path("jid").asText();
        for (JsonNode vertex : cluster.rest("/jobs/" + jobId).path("vertices")) {
          if (vertex.path("name").asText().contains(name)) {
            return "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText();
          }
        }
      }
    }
    return null;
  }

  private static Map<String, JsonNode> edges(JsonNode report) {
    Map<String, JsonNode> edges = new HashMap<>();
    report.get("plan").get("edges").forEach(e -> edges.put(e.get("edge").asText(), e));
    return edges;
  }

  private String jobId(Proc run) throws Exception {
    Matcher id = JOB_ID.matcher(run.out() + run.err());
    if (id.find()) {
      return id.group(1);
    }
    JsonNode jobs = cluster.rest("/jobs/overview").path("jobs");
    String latest = null;
    long started = -1;
    for (JsonNode job : jobs) {
      if (job.path("start-time").asLong() > started) {
        started = job.path("start-time").asLong();
        latest = job.path("jid").asText();
      }
    }
    assertThat(latest).as("no job on the cluster").isNotNull();
    return latest;
  }

  private static void random(Path file, long size, long seed) throws Exception {
    Files.createDirectories(file.getParent());
    byte[] bytes = new byte[(int) size];
    new Random(seed).nextBytes(bytes);
    Files.write(file, bytes);
  }
}
