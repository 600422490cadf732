package io.skyplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI smoke test of sky-in-a-box: {@code deploy/local/bin/testbed} brings up the three regions of
 * {@code smoke.topology} (network namespaces, shaped and delayed links, S3Proxy in the source and
 * the destination region, a TaskManager in each, the JobManager in the router namespace); {@code
 * skyplane profile} measures every pair; the transfer planned from that grid goes through the
 * relay region, as the testbed's own link counters show; the result is byte-identical; teardown
 * leaves no namespace, process or state behind.
 */
class TestbedIT {
  private static final Path TESTBED = Proc.ROOT.resolve("deploy/local/bin/testbed");
  private static final String NAME = "skyci";
  private static final String SOURCE = "aws:us-east-1";
  private static final String RELAY = "gcp:us-central1";
  private static final String DESTINATION = "azure:eastus";

  @TempDir static Path tmp;
  static Path state;
  static Map<String, String> env = new LinkedHashMap<>();
  static Path rcloneConf;

  @BeforeAll
  static void up() throws Exception {
    assumeThat(Proc.run(tmp, Map.of(), List.of("id", "-u")).out().strip())
        .as("the testbed needs root (network namespaces)").isEqualTo("0");
    state = tmp.resolve("testbed");
    testbed("down", "--name", NAME, "--state", state.toString()); // a crashed earlier run
    // smoke.topology with jumbo frames: the forwarder's large ring frames and queue slots get used
    Path topology = Files.writeString(tmp.resolve("smoke-jumbo.topology"),
        Files.readString(Proc.ROOT.resolve("deploy/local/testbed/smoke.topology")) + "mtu 9000\n");
    Proc up = testbed("up", "--topology", topology.toString(),
        "--name", NAME, "--subnet", "10.79", "--state", state.toString());
    assertThat(up.exitCode()).as(up.toString()).isZero();
    assertThat(Proc.run(tmp, Map.of(), List.of("ip", "-n", NAME + "-r1", "link", "show", "spr1")).out())
        .contains("mtu 9000");
    for (String line : Files.readAllLines(state.resolve("env"))) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        env.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    StringBuilder conf = new StringBuilder();
    for (int i : new int[] {1, 3}) {
      Map<String, String> store = keyValues(Path.of(env.get("TESTBED_REGION_" + i + "_ENV")));
      conf.append("[r").append(i).append("]\ntype = s3\nprovider = Other\nendpoint = ").append(store.get("S3_ENDPOINT"))
          .append("\naccess_key_id = ").append(store.get("S3_ACCESS_KEY"))
          .append("\nsecret_access_key = ").append(store.get("S3_SECRET_KEY"))
          .append("\nregion = us-east-1\nforce_path_style = true\n\n");
    }
    rcloneConf = Files.writeString(tmp.resolve("rclone.conf"), conf.toString());
  }

  @AfterAll
  static void down() throws Exception {
    if (state == null) {
      return;
    }
    Proc down = testbed("down", "--name", NAME, "--state", state.toString());
    assertThat(down.exitCode()).as(down.toString()).isZero();
    assertThat(Proc.run(tmp, Map.of(), List.of("ip", "netns", "list")).out()).doesNotContain(NAME + "-");
    assertThat(state).doesNotExist();
    assertThat(processesNaming(state.toString())).as("processes of the testbed left running").isEmpty();
  }

  @Test
  void aPlannedTransferGoesThroughTheRelayAndArrivesByteIdentical() throws Exception {
    assertThat(env.get("TESTBED_REGION_2")).startsWith(RELAY);
    // source data, uploaded inside the source region by a peer tool
    Path src = tmp.resolve("src");
    Random random = new Random(11);
    for (int i = 0; i < 6; i++) {
      byte[] data = new byte[(6 << 20) + random.nextInt(1 << 20)]; // two chunks of 5 MiB each
      random.nextBytes(data);
      Files.createDirectories(src.resolve("d" + (i % 2)));
      Files.write(src.resolve("d" + (i % 2) + "/f" + i), data);
    }
    Files.writeString(src.resolve("small.txt"), "hello, sky in a box\n");
    rclone(SOURCE, "mkdir", "r1:smoke-src");
    rclone(DESTINATION, "mkdir", "r3:smoke-dst");
    rclone(SOURCE, "copy", src.toString(), "r1:smoke-src/in");
    Path stores = Files.writeString(tmp.resolve("stores.properties"), "s3.path-style=true\ns3.region=us-east-1\n"
        + "s3@smoke-src.endpoint=" + endpoint(1) + "\ns3@smoke-dst.endpoint=" + endpoint(3) + "\n");

    // every pair measured by our own Flink job
    Path grid = tmp.resolve("grid.csv");
    Proc profile = flink("profile", "--duration", "2s", "--output", grid.toString());
    assertThat(profile.exitCode()).as(profile.toString()).isZero();
    List<String> rows = Files.readAllLines(grid).stream().filter(l -> !l.startsWith("#")).toList();
    System.out.println("profiled grid:\n" + String.join("\n", rows));
    assertThat(rows.get(0)).startsWith("src,dst,gbps,rtt_ms");
    assertThat(rows).hasSize(7);
    for (String row : rows.subList(1, rows.size())) {
      String[] cells = row.split(",");
      assertThat(Double.parseDouble(cells[2])).as(row).isPositive();
    }

    // planned from the profiled grid: the relay path is 4x faster than the direct one
    Map<String, Long> before = counters();
    Path report = tmp.resolve("report.json");
    Proc copy = flink("cp", "-r", "s3://smoke-src/in", "s3://smoke-dst/out", "--store-config", stores.toString(),
        "--planner", "max-throughput", "--grid", grid.toString(), "--source-region", SOURCE,
        "--destination-region", DESTINATION, "--max-vms-per-region", "1", "--tm-parallelism", "1",
        "--chunk-size", "5MiB", "-q", "--json", report.toString());
    assertThat(copy.exitCode()).as(copy.toString()).isZero();
    Map<String, Long> after = counters();

    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("status").asText()).isEqualTo("succeeded");
    long throughRelay = 0;
    for (JsonNode edge : json.get("plan").get("edges")) {
      if (edge.get("edge").asText().equals(SOURCE + "->" + RELAY)) {
        throughRelay = edge.get("bytes").asLong();
      }
    }
    assertThat(throughRelay).as(json.toString()).isGreaterThan(5L << 20);
    // the testbed's counters (htb classes in the router), not our metrics, show the relay hops
    long firstHop = after.get(SOURCE + "->" + RELAY) - before.getOrDefault(SOURCE + "->" + RELAY, 0L);
    long secondHop = after.get(RELAY + "->" + DESTINATION) - before.getOrDefault(RELAY + "->" + DESTINATION, 0L);
    assertThat(firstHop).as("bytes on %s->%s", SOURCE, RELAY).isGreaterThanOrEqualTo(throughRelay);
    assertThat(secondHop).as("bytes on %s->%s", RELAY, DESTINATION).isGreaterThanOrEqualTo(throughRelay);

    // byte-identical, read back by a peer tool
    Path back = tmp.resolve("back");
    rclone("router", "copy", "r3:smoke-dst/out", back.toString());
    assertThat(Tree.digests(back)).isEqualTo(Tree.digests(src));
  }

  private static String endpoint(int region) throws IOException {
    return keyValues(Path.of(env.get("TESTBED_REGION_" + region + "_ENV"))).get("S3_ENDPOINT");
  }

  /** Bytes per ordered pair from {@code testbed counters --json}. */
  private static Map<String, Long> counters() throws Exception {
    Proc counters = testbed("counters", "--json", "--state", state.toString());
    assertThat(counters.exitCode()).as(counters.toString()).isZero();
    Map<String, Long> bytes = new HashMap<>();
    for (JsonNode pair : new ObjectMapper().readTree(counters.out()).get("pairs")) {
      bytes.put(pair.get("src").asText() + "->" + pair.get("dst").asText(), pair.get("bytes").asLong());
    }
    return bytes;
  }

  private static Proc flink(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(TESTBED.toString(), "exec", "router", "--state", state.toString(),
        "--", Proc.ROOT.resolve("deploy/local/bin/flink").toString(), "run",
        Proc.ROOT.resolve("job/target/skyplane-job.jar").toString()));
    command.addAll(List.of(args));
    return Proc.run(tmp, Map.of(), command);
  }

  private static void rclone(String where, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(TESTBED.toString(), "exec", where, "--state", state.toString(),
        "--", "env", "-u", "AWS_CA_BUNDLE", "rclone", "--config", rcloneConf.toString()));
    command.addAll(List.of(args));
    Proc rclone = Proc.run(tmp, Map.of(), command);
    assertThat(rclone.exitCode()).as(rclone.toString()).isZero();
  }

  private static Proc testbed(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(TESTBED.toString()));
    command.addAll(List.of(args));
    return Proc.run(tmp, Map.of(), command);
  }

  private static Map<String, String> keyValues(Path file) throws IOException {
    Map<String, String> values = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int equals = line.indexOf('=');
      if (equals > 0 && !line.startsWith("#")) {
        values.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip().replaceAll("^['\"]|['\"]$", ""));
      }
    }
    return values;
  }

  private static List<String> processesNaming(String text) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
          if (cmdline.contains(text)) {
            found.add(proc.getFileName() + ": " + cmdline);
          }
        } catch (IOException e) {
          // the process ended meanwhile
        }
      }
    }
    return found;
  }
}
