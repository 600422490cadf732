package io.skyplane.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.skyplane.job.testing.Cli;
import io.skyplane.job.testing.TestPlans;
import io.skyplane.job.testing.Trees;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input of every command, in one table: exit 2, exactly one line on stderr
 * ({@code skyplane CMD: error: ...} naming the option and quoting the value), and nothing written
 * anywhere under the test's directory (no destination file or directory, no Terraform variables,
 * no grid, no topology). In this JVM, without a cluster: nothing gets as far as a job.
 */
class BadInputTest {
  @TempDir static Path tmp;
  static Path src;
  static Path huge;
  static Path dst;
  static Path plan;
  static Path module;
  static Path deployDir;
  static HttpServer notFlink;
  static ServerSocket silent;
  static final List<Socket> accepted = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    src = tmp.resolve("src");
    Trees.text(src.resolve("a.txt"), 1000);
    Trees.random(src.resolve("d/b.bin"), 5000, 1);
    huge = tmp.resolve("huge");
    Files.createDirectories(huge);
    try (RandomAccessFile file = new RandomAccessFile(huge.resolve("sparse.bin").toFile(), "rw")) {
      file.setLength(10L << 30); // sparse: takes no disk, lists as 10 GiB
    }
    dst = tmp.resolve("dst");
    plan = TestPlans.write(TestPlans.relayed(1, 1, 1, 1), tmp.resolve("plan.json"));
    module = Files.createDirectories(tmp.resolve("module"));
    Files.writeString(module.resolve("variables.tf"), "");
    deployDir = tmp.resolve("deploy");
    notFlink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    notFlink.createContext("/", exchange -> {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    notFlink.start();
    silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!silent.isClosed()) {
        try {
          accepted.add(silent.accept()); // and never answer
        } catch (IOException e) {
          return;
        }
      }
    }, "silent-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterAll
  static void tearDown() throws IOException {
    notFlink.stop(0);
    silent.close();
    for (Socket socket : accepted) {
      socket.close();
    }
  }

  /** One bad command line: its arguments (given the fixture) and a part of the one error line. */
  record Case(String name, Function<Void, List<String>> args, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case cp(String name, String expected, String... extra) {
    return new Case("cp " + name, v -> concat(List.of("cp", "-r", src.toString(), dst.toString()), extra), expected);
  }

  private static Case cpHuge(String name, String expected, String... extra) {
    return new Case("cp " + name, v -> concat(List.of("cp", "-r", huge.toString(), dst.toString()), extra), expected);
  }

  private static Case sync(String name, String expected, String... extra) {
    return new Case("sync " + name, v -> concat(List.of("sync", src.toString(), dst.toString()), extra), expected);
  }

  private static Case cpDeploy(String name, String expected, String... extra) {
    return new Case("cp --deploy " + name, v -> concat(List.of("cp", "-r", src.toString(), dst.toString(), "--deploy",
        deployDir.toString(), "--plan", plan.toString(), "--operator-cidr", "127.0.0.1/32", "--module",
        module.toString(), "--terraform", "true"), extra), expected);
  }

  private static Case plan(String name, String expected, String... extra) {
    return new Case("plan " + name, v -> concat(List.of("plan", "aws:us-east-1", "aws:us-west-2", "--emit-terraform",
        tmp.resolve("tf").toString()), extra), expected);
  }

  private static Case topology(String name, String expected, String... extra) {
    return new Case("topology " + name, v -> concat(List.of("topology", "aws:us-east-1", "aws:us-west-2", "-o",
        tmp.resolve("topology.txt").toString()), extra), expected);
  }

  private static Case profile(String name, String expected, String... extra) {
    return new Case("profile " + name, v -> concat(List.of("profile", "--regions", "aws:us-east-1,aws:us-west-2",
        "-o", tmp.resolve("grid.csv").toString()), extra), expected);
  }

  private static Case deploy(String name, String expected, String... extra) {
    return new Case("deploy " + name, v -> concat(List.of("deploy", deployDir.toString(), "--operator-cidr",
        "127.0.0.1/32", "--module", module.toString(), "--terraform", "true"), extra), expected);
  }

  private static Case storeConfig(String name, String properties, String expected) {
    return new Case("cp store config " + name, v -> {
      Path file = tmp.resolve("stores-" + Integer.toHexString(name.hashCode()) + ".properties");
      try {
        if (!Files.exists(file)) {
          Files.writeString(file, properties);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return List.of("cp", "-r", src.toString(), dst.toString(), "--store-config", file.toString());
    }, expected);
  }

  static Stream<Case> cases() {
    return Stream.of(
        // sizes: parsed exactly, then range-checked
        cp("--chunk-size 1", "--chunk-size must be between 64KiB and 1GiB, got '1'", "--chunk-size", "1"),
        cp("--chunk-size 0", "--chunk-size must be between 64KiB and 1GiB, got '0'", "--chunk-size", "0"),
        cp("--chunk-size 9000000T", "--chunk-size '9000000T' is too large", "--chunk-size", "9000000T"),
        cp("--chunk-size 2GiB", "--chunk-size must be between 64KiB and 1GiB, got '2GiB'", "--chunk-size", "2GiB"),
        cp("--chunk-size 0.3KiB", "--chunk-size must be a whole number of bytes, got '0.3KiB'", "--chunk-size", "0.3KiB"),
        cp("--chunk-size -5MiB", "--chunk-size must not be negative, got '-5MiB'", "--chunk-size", "-5MiB"),
        cp("--chunk-size 5 parsecs", "--chunk-size: unknown unit 'parsecs'", "--chunk-size", "5 parsecs"),
        cp("--chunk-size lots", "--chunk-size must be a size such as 64MiB", "--chunk-size", "lots"),
        cpHuge("10 GiB in 64KiB chunks", "object 'sparse.bin' (10.0 GiB) needs 163840 chunks of --chunk-size 64KiB,"
            + " more than the 100000 of a local destination: use --chunk-size 1MiB or more", "--chunk-size", "64KiB"),
        cp("--frame-size 0", "--frame-size must be between 1B and 4MiB, got '0'", "--frame-size", "0"),
        cp("--frame-size 5MiB", "--frame-size must be between 1B and 4MiB, got '5MiB'", "--frame-size", "5MiB"),
        cp("--frame-size 1e9T", "--frame-size must be a size such as 64MiB", "--frame-size", "1e9T"),
        // counts
        cp("-p 0", "-p/--parallelism must be between 1 and 1024, got 0", "-p", "0"),
        cp("-p 5000", "-p/--parallelism must be between 1 and 1024, got 5000", "-p", "5000"),
        cp("-p 99999999999", "Invalid value for option '--parallelism': '99999999999' is not an int", "-p", "99999999999"),
        cp("--tm-parallelism 0", "--tm-parallelism must be between 1 and 256, got 0", "--tm-parallelism", "0"),
        cp("--tm-parallelism 1000", "--tm-parallelism must be between 1 and 256, got 1000", "--tm-parallelism", "1000"),
        cp("--restart-attempts -1", "--restart-attempts must be between 0 and 100, got -1", "--restart-attempts", "-1"),
        cp("--restart-attempts 101", "--restart-attempts must be between 0 and 100, got 101", "--restart-attempts", "101"),
        cp("--max-vms-per-region 0", "--max-vms-per-region must be between 1 and 1024, got 0",
            "--planner", "direct", "--max-vms-per-region", "0"),
        cp("--throughput 0Gbps", "--throughput must be > 0, got '0Gbps'", "--planner", "min-cost", "--throughput", "0Gbps"),
        cp("--throughput 1e9Gbps", "--throughput must be between 1Mbps and 100Tbps, got '1e9Gbps'",
            "--planner", "min-cost", "--throughput", "1e9Gbps"),
        cp("--max-cost 1e12USD", "--max-cost must be at most 1000000000USD, got '1e12USD'",
            "--planner", "max-throughput", "--max-cost", "1e12USD"),
        cp("--max-cost -3", "--max-cost '-3' is not a positive number", "--planner", "max-throughput", "--max-cost", "-3"),
        cp("--compression zstd:25", "--compression: zstd level must be between -7 and 19", "--compression", "zstd:25"),
        // the cluster
        cp("--jobmanager refused", "--jobmanager http://127.0.0.1:1: no Flink REST API there: connection refused",
            "--jobmanager", "http://127.0.0.1:1"),
        new Case("cp --jobmanager not Flink", v -> List.of("cp", "-r", src.toString(), dst.toString(), "--jobmanager",
            "http://127.0.0.1:" + notFlink.getAddress().getPort()), "GET /config answered HTTP 404 (not a Flink REST API)"),
        new Case("cp --jobmanager silent", v -> List.of("cp", "-r", src.toString(), dst.toString(), "--jobmanager",
            "http://127.0.0.1:" + silent.getLocalPort()), "no answer within 5 s"),
        cpDeploy("--deploy-timeout 0s", "--deploy-timeout must be between 1s and 24h, got '0s'", "--deploy-timeout", "0s"),
        cpDeploy("--deploy-timeout 48h", "--deploy-timeout must be between 1s and 24h, got '48h'", "--deploy-timeout", "48h"),
        cpDeploy("--deploy-timeout 1e9h", "--deploy-timeout must be a duration", "--deploy-timeout", "1e9h"),
        cpDeploy("--ttl 5", "--ttl must be between 10 and 10080, got 5", "--ttl", "5"),
        // sync
        sync("--max-delete -5", "--max-delete must be -1 (no limit) or at least 0, got -5", "--delete", "--max-delete", "-5"),
        sync("--chunk-size 9000000T", "--chunk-size '9000000T' is too large", "--chunk-size", "9000000T"),
        sync("--checksum -p 0", "-p/--parallelism must be between 1 and 1024, got 0", "--checksum", "-p", "0"),
        sync("--jobmanager refused", "connection refused", "--jobmanager", "http://127.0.0.1:1"),
        // store config
        storeConfig("s3.token", "s3.token=abc123\n", "must not hold secrets: key 's3.token'"),
        storeConfig("gs.oauth", "gs.oauth=abc123\n", "must not hold secrets: key 'gs.oauth'"),
        storeConfig("hadoop account key", "hadoop.fs.azure.account.key.acct.blob.core.windows.net=abc123\n",
            "must not hold secrets: key 'hadoop.fs.azure.account.key.acct.blob.core.windows.net'"),
        storeConfig("a value in an -env key", "azure@acct.sas-token-env=sv=2020&sig=abc123\n",
            "key 'azure@acct.sas-token-env' must name an environment variable"),
        storeConfig("s3.endpont", "s3.endpont=http://127.0.0.1:9000\n",
            "unknown s3 option 'endpont' (did you mean 'endpoint'?"),
        // plan
        plan("--volume 0GB", "--volume must be > 0, got '0GB'", "--volume", "0GB"),
        plan("--volume 2000PB", "--volume must be at most 1EB, got '2000PB'", "--volume", "2000PB"),
        plan("--throughput 0.1Mbps", "--throughput must be between 1Mbps and 100Tbps, got '0.1Mbps'",
            "--volume", "1TB", "--throughput", "0.1Mbps"),
        plan("--max-cost 2e9USD", "--max-cost must be at most 1000000000USD, got '2e9USD'",
            "--volume", "1TB", "--max-cost", "2e9USD"),
        plan("--max-vms-per-region 2000", "--max-vms-per-region must be between 1 and 1024, got 2000",
            "--volume", "1TB", "--max-vms-per-region", "2000"),
        plan("--tms-per-vm 0", "--tms-per-vm must be between 1 and 64, got 0", "--volume", "1TB", "--tms-per-vm", "0"),
        plan("--max-hops 5", "--max-hops must be between 1 and 4, got 5", "--volume", "1TB", "--max-hops", "5"),
        plan("--provisioning-overhead -1", "--provisioning-overhead must be between 0 and 86400 seconds, got '-1.0'",
            "--volume", "1TB", "--provisioning-overhead", "-1"),
        plan("--provisioning-overhead NaN", "--provisioning-overhead must be between 0 and 86400 seconds, got 'NaN'",
            "--volume", "1TB", "--provisioning-overhead", "NaN"),
        // topology
        topology("--scale 0", "--scale must be above 0", "--scale", "0"),
        topology("--scale 2e9", "--scale must be above 0 and at most 1000000000", "--scale", "2e9"),
        topology("--rtt -1", "--rtt must be between 0 and 10000 ms, got '-1.0'", "--rtt", "-1"),
        topology("--missing-rate 0", "--missing-rate must be above 0", "--missing-rate", "0"),
        topology("--taskmanagers 65", "--taskmanagers must be between 0 and 64, got 65", "--taskmanagers", "65"),
        // profile
        profile("--duration 50ms", "--duration must be between 100ms and 1h, got '50ms'", "--duration", "50ms"),
        profile("--duration 2h", "--duration must be between 100ms and 1h, got '2h'", "--duration", "2h"),
        profile("--duration huge", "--duration '99999999999999999999h' is too long", "--duration", "99999999999999999999h"),
        profile("--warm-up 11min", "--warm-up must be between 0s and 10min, got '11min'", "--warm-up", "11min"),
        profile("--streams 0", "--streams must be between 1 and 32, got 0", "--streams", "0"),
        profile("--rtt-probes 101", "--rtt-probes must be between 1 and 100, got 101", "--rtt-probes", "101"),
        // deploy
        deploy("--ttl 5", "--ttl must be between 10 and 10080, got 5", "--ttl", "5"),
        deploy("--ttl 20000", "--ttl must be between 10 and 10080, got 20000", "--ttl", "20000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedWithOneLineAndNothingWritten(Case bad) throws IOException {
    List<String> args = bad.args().apply(null);
    List<Path> before = tree();
    long start = System.nanoTime();

    Cli cli = Cli.run(args.toArray(String[]::new));

    assertThat(System.nanoTime() - start).as("seconds").isLessThan(10_000_000_000L);
    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
    assertThat(cli.errLines()).as(cli.toString()).singleElement().satisfies(line -> {
      assertThat(line).startsWith("skyplane " + args.get(0) + ": error: ");
      assertThat(line).contains(bad.expected());
    });
    assertThat(cli.toString()).doesNotContain("abc123");
    assertThat(tree()).as("files under the test directory").isEqualTo(before);
  }

  /** Every path under the test directory, but the store configs the cases write before running. */
  private static List<Path> tree() throws IOException {
    try (Stream<Path> walk = Files.walk(tmp)) {
      return walk.filter(p -> !p.getFileName().toString().startsWith("stores-")).sorted()
          .collect(Collectors.toList());
    }
  }

  private static List<String> concat(List<String> base, String... extra) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(extra));
    return all;
  }
}
