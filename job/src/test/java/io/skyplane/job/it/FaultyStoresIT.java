package io.skyplane.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.job.testing.Cli;
import io.skyplane.job.testing.Clusters;
import io.skyplane.job.testing.StoreAdmin;
import io.skyplane.job.testing.StoreKind;
import io.skyplane.job.testing.Trees;
import io.skyplane.testing.faults.FaultKind;
import io.skyplane.testing.faults.FaultSpec;
import io.skyplane.testing.faults.FaultStats;
import io.skyplane.testing.servers.AzureEndpoint;
import io.skyplane.testing.servers.AzuriteExtension;
import io.skyplane.testing.servers.FaultProxyExtension;
import io.skyplane.testing.servers.GcsEndpoint;
import io.skyplane.testing.servers.GcsServerExtension;
import io.skyplane.testing.servers.S3Endpoint;
import io.skyplane.testing.servers.S3ServerExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfers through stores that misbehave as real clouds do: each store (S3Proxy, our GCS server,
 * Azurite) behind our fault proxy answering 10 % of requests with its throttling error, 5 % with a
 * server error, resetting 2 % of connections in the middle of a body, and stalling a few
 * responses for 60 s or 600 s mid-body; a tree of 200 objects and {@link #TOTAL_MIB} MiB in all
 * (1 GiB by default; {@code -Dskyplane.faults.mib=N}), each store as destination and as source.
 * Every object must arrive byte-identical (checked through the servers directly, around the
 * proxy), nothing may be left (no open upload, uncommitted block, part object or run area), and the
 * report counts the retries. A store that only errors fails cleanly within a bounded time (with
 * three tries per request, to keep the suite short). With the defaults (1 GiB, 200 objects) the
 * class took 755 s on the 2-core machine; the time goes to back-off and rate limiting, not bytes.
 */
class FaultyStoresIT {
  static final long TOTAL_MIB = Long.getLong("skyplane.faults.mib", 1024);
  private static final int OBJECTS = 200;
  /** Faults as the issue measured them; stalls are cut by the stores' idle timeout (below). */
  private static final String FAULTS = "throttle=0.10,error=0.05,reset=0.02,stall=0.003:%s,seed=%d,skip=2";
  private static final String IDLE_TIMEOUT = "3s";

  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();
  @RegisterExtension static final AzuriteExtension AZURE = AzuriteExtension.shared();
  @RegisterExtension
  static final GcsServerExtension GCS = GcsServerExtension.shared();
  @RegisterExtension static final FaultProxyExtension<S3Endpoint> S3_FAULTS = new FaultProxyExtension<>(S3);
  @RegisterExtension static final FaultProxyExtension<AzureEndpoint> AZURE_FAULTS = new FaultProxyExtension<>(AZURE);
  @RegisterExtension static final FaultProxyExtension<GcsEndpoint> GCS_FAULTS = new FaultProxyExtension<>(GCS);
  @RegisterExtension static final MiniClusterExtension CLUSTER = Clusters.twoTaskManagers();

  private static final AtomicInteger BUCKETS = new AtomicInteger();
  @TempDir static Path tmp;
  private static StoreAdmin direct;
  private static Path source;
  private static Map<String, String> sourceDigests;
  private static Path throughProxies;
  /** The same, with three tries per request: a store that only errors gives up sooner. */
  private static Path throughProxiesFewTries;

  @BeforeAll
  static void setUp() throws IOException {
    direct = new StoreAdmin(tmp.resolve("local"), S3_FAULTS.upstream(), GCS_FAULTS.upstream(), AZURE_FAULTS.upstream());
    direct.useCredentialsInThisJvm();
    source = tmp.resolve("src");
    long total = TOTAL_MIB << 20;
    long big = total / 8; // four objects hold half of the bytes, in many parts each
    for (int i = 0; i < 4; i++) {
      Trees.random(source.resolve("big/b" + i + ".bin"), big + i, 100 + i);
    }
    long small = (total - 4 * big) / (OBJECTS - 4);
    for (int i = 0; i < OBJECTS - 4; i++) {
      Path file = source.resolve(String.format(Locale.ROOT, "small/%02d/s%03d", i % 10, i));
      if (i % 3 == 0) {
        Trees.text(file, small + i);
      } else {
        Trees.random(file, small + i, i);
      }
    }
    sourceDigests = Trees.digests(source);
    throughProxies = new StoreAdmin(tmp.resolve("unused"), S3_FAULTS.endpoint(), GCS_FAULTS.endpoint(),
        AZURE_FAULTS.endpoint()).writeStoreConfig(tmp.resolve("through-proxies.properties"), Map.of(
            "s3.idle-timeout", IDLE_TIMEOUT, "gs.idle-timeout", IDLE_TIMEOUT, "azure.idle-timeout", IDLE_TIMEOUT));
    throughProxiesFewTries = new StoreAdmin(tmp.resolve("unused"), S3_FAULTS.endpoint(), GCS_FAULTS.endpoint(),
        AZURE_FAULTS.endpoint()).writeStoreConfig(tmp.resolve("few-tries.properties"), Map.of(
            "s3.attempts", "3", "gs.attempts", "3", "azure.attempts", "3"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    direct.close();
    System.clearProperty(StoreAdmin.AZURE_CONNECTION_VARIABLE);
  }

  private static FaultProxyExtension<?> proxy(StoreKind kind) {
    return switch (kind) {
      case S3 -> S3_FAULTS;
      case GS -> GCS_FAULTS;
      case AZURE -> AZURE_FAULTS;
      case LOCAL -> throw new IllegalArgumentException("no proxy for files");
    };
  }

  private static String bucket(StoreKind kind) throws IOException {
    String bucket = "faulty-" + BUCKETS.incrementAndGet();
    direct.createBucket(kind, bucket);
    return bucket;
  }

  private static Cli cp(String from, String to, Path report) {
    return cp(from, to, report, throughProxies);
  }

  private static Cli cp(String from, String to, Path report, Path storeConfig) {
    return Cli.run("cp", "-r", from, to, "--store-config", storeConfig.toString(), "--chunk-size", "8MiB",
        "-p", "2", "-q", "--json", report.toString());
  }

  @ParameterizedTest
  @EnumSource(value = StoreKind.class, names = {"S3", "GS", "AZURE"})
  void everyObjectArrivesIntactInAStoreThatThrottlesFailsResetsAndStalls(StoreKind kind) throws IOException {
    String bucket = bucket(kind);
    proxy(kind).configure(String.format(Locale.ROOT, FAULTS, "600s", 11 + kind.ordinal()));
    Path report = tmp.resolve("to-" + bucket + ".json");

    Cli cli = cp(source.toString(), direct.uri(kind, bucket, "dst/"), report);

    FaultStats faults = proxy(kind).stats();
    proxy(kind).configure(FaultSpec.none());
    assertThat(cli.exitCode()).as(cli + "\nfaults: " + faults).isZero();
    assertThat(direct.digests(kind, bucket, "dst/")).isEqualTo(sourceDigests);
    assertNothingElse(kind, bucket);
    assertFaultsHappenedAndWereCounted(faults, report, "destination");
  }

  @ParameterizedTest
  @EnumSource(value = StoreKind.class, names = {"S3", "GS", "AZURE"})
  void everyObjectArrivesIntactFromAStoreThatThrottlesFailsResetsAndStalls(StoreKind kind) throws IOException {
    String bucket = bucket(kind);
    direct.uploadTree(kind, bucket, source);
    proxy(kind).configure(String.format(Locale.ROOT, FAULTS, "60s", 21 + kind.ordinal()));
    Path report = tmp.resolve("from-" + bucket + ".json");
    Path copy = tmp.resolve("from-" + bucket);

    Cli cli = cp(direct.uri(kind, bucket, ""), copy.toString(), report);

    FaultStats faults = proxy(kind).stats();
    proxy(kind).configure(FaultSpec.none());
    assertThat(cli.exitCode()).as(cli + "\nfaults: " + faults).isZero();
    assertThat(Trees.digests(copy)).isEqualTo(sourceDigests);
    assertFaultsHappenedAndWereCounted(faults, report, "source");
  }

  @ParameterizedTest
  @EnumSource(value = StoreKind.class, names = {"S3", "GS", "AZURE"})
  void aStoreThatOnlyErrorsFailsWithOneLineInABoundedTime(StoreKind kind) throws IOException {
    String bucket = bucket(kind);
    proxy(kind).configure("down=503");
    long start = System.nanoTime();

    Cli cli = cp(source.toString(), direct.uri(kind, bucket, "dst/"), tmp.resolve("down-" + bucket + ".json"),
        throughProxiesFewTries);

    double seconds = (System.nanoTime() - start) / 1e9;
    proxy(kind).configure(FaultSpec.none());
    assertThat(cli.exitCode()).as(cli.toString()).isIn(2, 3);
    assertThat(cli.errLines()).as(cli.toString()).hasSize(1);
    assertThat(cli.err()).contains("throttled");
    // three tries per request, a few requests before the store is given up: well under a minute
    // (with the default ten tries this took 39 s on S3, 118 s on GCS, 127 s on Azure here)
    assertThat(seconds).as(cli.toString()).isLessThan(60);
    assertThat(direct.list(kind, bucket, "")).isEmpty();
    assertNothingElse(kind, bucket);
  }

  /** Nothing but the copied objects: no open upload, uncommitted block, part object, run area. */
  private static void assertNothingElse(StoreKind kind, String bucket) throws IOException {
    List<String> others = new ArrayList<>();
    direct.list(kind, bucket, "").keySet().stream().filter(k -> !k.startsWith("dst/")).forEach(others::add);
    assertThat(others).as("objects outside the destination prefix").isEmpty();
    if (kind == StoreKind.S3) {
      assertThat(direct.pendingS3Uploads(bucket)).as("open multipart uploads").isEmpty();
    }
    if (kind == StoreKind.AZURE) {
      assertThat(direct.uncommittedAzureBlocks(bucket)).as("uncommitted blocks").isEmpty();
    }
  }

  private static void assertFaultsHappenedAndWereCounted(FaultStats faults, Path report, String side)
      throws IOException {
    assertThat(faults.count(FaultKind.THROTTLE)).as("throttled answers").isPositive();
    assertThat(faults.count(FaultKind.ERROR)).as("server errors").isPositive();
    assertThat(faults.count(FaultKind.RESET)).as("resets").isPositive();
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("objectsCommitted").asInt()).isEqualTo(OBJECTS);
    JsonNode retries = json.at("/retries/" + side);
    long counted = retries.get("throttled").asLong() + retries.get("serverErrors").asLong()
        + retries.get("networkErrors").asLong();
    assertThat(counted).as("retries in the report: " + retries + ", faults: " + faults).isPositive();
    assertThat(Files.exists(report)).isTrue();
  }
}
