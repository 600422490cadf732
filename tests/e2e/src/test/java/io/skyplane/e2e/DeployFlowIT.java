package io.skyplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.job.testing.TestPlans;
import io.skyplane.testing.servers.S3Endpoint;
import io.skyplane.testing.servers.S3ServerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code skyplane cp --deploy DIR} with the real terraform binary on the local target
 * ({@code deploy/terraform/local}): a 3-region plan (source, relay, destination, one TaskManager
 * each) deployed, run, verified and torn down, between S3Proxy buckets; and the same flow when the
 * transfer fails, the deploy fails, the client gets SIGINT mid-transfer, and on bad input.
 */
class DeployFlowIT {
  private static final Path MODULE = Proc.ROOT.resolve("deploy/terraform/local");
  private static final String S = TestPlans.SOURCE;
  private static final String R = TestPlans.RELAY;
  private static final String D = TestPlans.DESTINATION;
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();
  @TempDir static Path tmp;
  static S3Client admin;
  static Path stores;
  static Path plan;
  static Map<String, String> sources = new TreeMap<>();

  @BeforeAll
  static void setUp() throws Exception {
    assumeTrue(Proc.onPath("terraform"), "terraform is not installed: the --deploy flow is not tested");
    S3Endpoint s3 = S3.endpoint();
    admin = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true).region(Region.of(s3.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        .build();
    admin.createBucket(b -> b.bucket("src"));
    Random random = new Random(7);
    for (int i = 0; i < 6; i++) {
      // two of them span 2 chunks of 5 MiB (multipart uploads at the destination)
      byte[] data = new byte[i < 2 ? 6 * 1024 * 1024 + i : 200_000 + i * 1000];
      random.nextBytes(data);
      String key = "data/f" + i;
      admin.putObject(b -> b.bucket("src").key(key), RequestBody.fromBytes(data));
      sources.put(key, Tree.sha256(new java.io.ByteArrayInputStream(data)));
    }
    stores = tmp.resolve("stores.properties");
    Files.writeString(stores, "s3.endpoint=" + s3.endpoint() + "\ns3.path-style=true\ns3.region=" + s3.region() + "\n");
    plan = TestPlans.write(TestPlans.relayed(0.5, 1, 1, 1), tmp.resolve("plan.json"));
  }

  @AfterAll
  static void tearDown() {
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  void deploysRunsVerifiesAndTearsDown() throws Exception {
    Deployment deployment = new Deployment("ok");
    admin.createBucket(b -> b.bucket("copied"));

    Proc run = deployment.cp(List.of("s3://src/data/", "s3://copied/copy/", "--json", deployment.dir.resolve("report.json").toString()));

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(digests("copied", "copy/")).isEqualTo(renamed(sources, "data/", "copy/"));
    JsonNode report = JSON.readTree(deployment.dir.resolve("report.json").toFile());
    Map<String, Long> edges = new HashMap<>();
    report.get("plan").get("edges").forEach(e -> edges.put(e.get("edge").asText(), e.get("bytes").asLong()));
    assertThat(edges.get(S + "->" + R)).as(report.toString()).isPositive();
    assertThat(edges.get(R + "->" + D)).as(report.toString()).isPositive();
    assertThat(run.out()).contains("Cluster up: http://127.0.0.1:").contains("Cluster torn down");
    deployment.assertTornDown(run);
    assertThat(admin.listMultipartUploads(b -> b.bucket("copied")).uploads()).isEmpty();
    assertThat(run.out() + run.err()).doesNotContain(S3.endpoint().secretKey());
  }

  @Test
  void aFailedTransferIsTornDownToo() throws Exception {
    Deployment deployment = new Deployment("corrupt");
    admin.createBucket(b -> b.bucket("corrupt"));

    Proc run = deployment.cp(List.of("s3://src/data/", "s3://corrupt/copy/", "--test-corrupt-chunk", "f0#1"));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).contains("failed: f0");
    assertThat(keys("corrupt")).doesNotContain("copy/f0");
    assertThat(admin.listMultipartUploads(b -> b.bucket("corrupt")).uploads()).isEmpty();
    deployment.assertTornDown(run);
  }

  @Test
  void aFailedDeployIsDestroyedAndExitsThree() throws Exception {
    Deployment deployment = new Deployment("baddeploy");
    // the JobManager starts, then every TaskManager's bootstrap refuses its memory size
    deployment.env.put("TF_VAR_taskmanager_memory", "lots");
    admin.createBucket(b -> b.bucket("baddeploy"));

    Proc run = deployment.cp(List.of("s3://src/data/", "s3://baddeploy/copy/"));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.err()).contains("deploying the cluster failed").contains("--memory must be a size");
    assertThat(run.out()).contains("Cluster torn down");
    assertThat(keys("baddeploy")).isEmpty();
    deployment.assertTornDown(run);
  }

  @Test
  void sigintCancelsTheJobThenTearsDownAndExits130() throws Exception {
    Deployment deployment = new Deployment("sigint");
    admin.createBucket(b -> b.bucket("sigint"));
    Path big = tmp.resolve("sigint-src");
    Random random = new Random(11);
    Map<String, String> expected = new TreeMap<>();
    for (int i = 0; i < 6; i++) {
      byte[] data = new byte[10 * 1024 * 1024];
      random.nextBytes(data);
      Files.createDirectories(big);
      Files.write(big.resolve("b" + i), data);
      expected.put("big/b" + i, Tree.sha256(new java.io.ByteArrayInputStream(data)));
    }
    Process process = deployment.start(List.of("-r", big.toString(), "s3://sigint/big/", "--compression", "none"));
    long deadline = System.currentTimeMillis() + 180_000;
    while (process.isAlive() && System.currentTimeMillis() < deadline
        && admin.listMultipartUploads(b -> b.bucket("sigint")).uploads().isEmpty()) {
      Thread.sleep(100);
    }
    assertThat(process.isAlive()).as("still transferring when interrupted: %s", deployment.output()).isTrue();

    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(deployment.output()).isTrue();

    Proc run = new Proc(process.exitValue(), deployment.output(), "");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(130);
    assertThat(run.out()).contains("stopping: tearing down").contains("Cluster torn down");
    // what was committed is whole; nothing else is left, not even an open upload
    Map<String, String> arrived = digests("sigint", "big/");
    assertThat(expected).containsAllEntriesOf(arrived);
    assertThat(arrived.size()).as("interrupted before the end").isLessThan(expected.size());
    assertThat(admin.listMultipartUploads(b -> b.bucket("sigint")).uploads()).isEmpty();
    deployment.assertTornDown(run);
  }

  @Test
  void badInputExitsTwoBeforeTerraformRuns() throws Exception {
    Deployment world = new Deployment("world");
    Proc open = world.run(List.of("cp", "-r", "s3://src/data/", "s3://nowhere/", "--plan", plan.toString(),
        "--store-config", stores.toString(), "--deploy", world.dir.toString(), "--module", MODULE.toString(),
        "--operator-cidr", "0.0.0.0/0"));
    Deployment noPlan = new Deployment("noplan");
    Proc unplanned = noPlan.run(List.of("cp", "-r", "s3://src/data/", "s3://nowhere/",
        "--store-config", stores.toString(), "--deploy", noPlan.dir.toString(), "--module", MODULE.toString(),
        "--operator-cidr", "127.0.0.1/32"));

    assertThat(open.exitCode()).as(open.toString()).isEqualTo(2);
    assertThat(open.err()).contains("--operator-cidr");
    assertThat(unplanned.exitCode()).as(unplanned.toString()).isEqualTo(2);
    assertThat(unplanned.err()).contains("--deploy needs a plan");
    for (Proc refused : List.of(open, unplanned)) {
      assertThat(refused.errLines()).as(refused.toString()).hasSize(1);
      assertThat(refused.err()).doesNotContain("terraform:");
    }
    assertThat(world.dir.resolve("terraform.tfstate")).doesNotExist();
    assertThat(noPlan.dir.resolve("terraform.tfstate")).doesNotExist();
  }

  /** One deployment: its DIR, its cluster's state dir and ports, the client's environment. */
  private static final class Deployment {
    final Path dir;
    final Path state;
    final Map<String, String> env = new HashMap<>();
    private Path output;

    Deployment(String name) throws Exception {
      dir = tmp.resolve(name + "/deploy");
      state = tmp.resolve(name + "/cluster");
      env.put("AWS_ACCESS_KEY_ID", S3.endpoint().accessKey());
      env.put("AWS_SECRET_ACCESS_KEY", S3.endpoint().secretKey());
      env.put("AWS_REGION", S3.endpoint().region());
      env.put("SKYPLANE_LOG_DIR", tmp.resolve(name + "/logs").toString());
      env.put("SKYPLANE_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
      env.put("TF_VAR_state_dir", state.toString());
      env.put("TF_VAR_rest_port", Integer.toString(Proc.freePort()));
      env.put("TF_VAR_rpc_port", Integer.toString(Proc.freePort()));
      env.put("TF_VAR_taskmanager_slots", "2");
    }

    List<String> command(List<String> args) {
      List<String> command = new ArrayList<>(List.of("bash", Proc.ROOT.resolve("bin/skyplane").toString()));
      command.addAll(args);
      return command;
    }

    List<String> cpArgs(List<String> args) {
      List<String> all = new ArrayList<>(List.of("cp"));
      all.addAll(args);
      if (!args.contains("-r")) {
        all.add("-r");
      }
      all.addAll(List.of("--plan", plan.toString(), "--store-config", stores.toString(),
          "--deploy", dir.toString(), "--module", MODULE.toString(), "--operator-cidr", "127.0.0.1/32",
          "--tm-parallelism", "1", "--chunk-size", "5MiB", "-q", "--deploy-timeout", "90s"));
      return all;
    }

    Proc cp(List<String> args) throws Exception {
      return run(cpArgs(args));
    }

    Proc run(List<String> args) throws Exception {
      long start = System.nanoTime();
      Proc run = Proc.run(tmp, env, command(args));
      System.out.printf("%s: %d s%n%s%n", dir, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), run);
      return run;
    }

    /** Starts the copy; stdout and stderr go to one file ({@link #output}). */
    Process start(List<String> args) throws Exception {
      Files.createDirectories(dir.getParent());
      output = dir.getParent().resolve("client.txt");
      ProcessBuilder builder = new ProcessBuilder(command(cpArgs(args))).directory(tmp.toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().putAll(env);
      return builder.start();
    }

    String output() throws Exception {
      return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** No process of the cluster left, nothing in Terraform's state. */
    void assertTornDown(Proc run) throws Exception {
      Proc ps = Proc.run(tmp, Map.of(), List.of("ps", "-eo", "pid=,args="));
      assertThat(ps.out().lines().filter(l -> l.contains(state.toString())).toList()).as(run.toString()).isEmpty();
      Proc list = Proc.run(Proc.ROOT, Map.of("TF_DATA_DIR", dir.resolve(".terraform").toString()),
          List.of("terraform", "-chdir=" + MODULE, "state", "list", "-state=" + dir.resolve("terraform.tfstate")));
      assertThat(list.exitCode()).as(list.toString()).isZero();
      assertThat(list.out().strip()).as(run.toString()).isEmpty();
    }
  }

  private static List<String> keys(String bucket) {
    return admin.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
  }

  private static Map<String, String> digests(String bucket, String prefix) throws Exception {
    Map<String, String> digests = new TreeMap<>();
    for (String key : keys(bucket)) {
      if (key.startsWith(prefix)) {
        digests.put(key, Tree.sha256(admin.getObject(b -> b.bucket(bucket).key(key))));
      }
    }
    return digests;
  }

  private static Map<String, String> renamed(Map<String, String> digests, String from, String to) {
    Map<String, String> renamed = new TreeMap<>();
    digests.forEach((key, digest) -> renamed.put(to + key.substring(from.length()), digest));
    return renamed;
  }
}
