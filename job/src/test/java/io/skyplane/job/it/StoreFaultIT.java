package io.skyplane.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.job.testing.Cli;
import io.skyplane.job.testing.Clusters;
import io.skyplane.job.testing.FaultLog;
import io.skyplane.job.testing.FaultyStoreFactory;
import io.skyplane.job.testing.StoreAdmin;
import io.skyplane.job.testing.StoreKind;
import io.skyplane.job.testing.Trees;
import io.skyplane.store.ObjectStores;
import io.skyplane.testing.servers.AzuriteExtension;
import io.skyplane.testing.servers.GcsServerExtension;
import io.skyplane.testing.servers.S3ServerExtension;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Writes fail inside a real {@code skyplane cp} to S3, GCS and Azure (stores {@code faulty-s3},
 * {@code faulty-gs}, {@code faulty-azure}: the real stores on their local servers with faults
 * injected around them): the object hit is reported failed and is absent, every other object
 * arrives byte-identical, a complete whose answer was lost still commits the object once, a
 * crashed writer fails the job (exit 3), and in every case nothing of an unfinished upload is left: no open S3 multipart upload,
 * no temporary GCS part object, no uncommitted Azure block (the bucket holds exactly the committed
 * keys).
 */
class StoreFaultIT {
  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();
  @RegisterExtension static final AzuriteExtension AZURE = AzuriteExtension.shared();
  @RegisterExtension
  static final GcsServerExtension GCS = GcsServerExtension.shared();
  @RegisterExtension static final MiniClusterExtension CLUSTER = Clusters.twoTaskManagers();

  private static final long MIB = 1L << 20;
  private static final String PREFIX = "dst/";
  /** A three-part object (chunks of 5 MiB): the one the faults hit unless a test says otherwise. */
  private static final String VICTIM = "big/victim.bin";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @TempDir static Path tmp;
  private static StoreAdmin stores;
  private static Path source;
  private static Map<String, String> sourceDigests;

  private Path report;

  @BeforeAll
  static void setUp() throws IOException {
    stores = new StoreAdmin(tmp.resolve("local"), S3.endpoint(), GCS.endpoint(), AZURE.endpoint());
    stores.useCredentialsInThisJvm();
    source = tmp.resolve("src");
    Trees.random(source.resolve(VICTIM), 12 * MIB + 5, 1);
    Trees.random(source.resolve("big/other.bin"), 11 * MIB, 2);
    Trees.random(source.resolve("one-chunk.bin"), 5 * MIB, 3);
    for (int i = 0; i < 10; i++) {
      Trees.text(source.resolve("small/s" + i + ".txt"), 100 + 1000 * i);
    }
    sourceDigests = Trees.digests(source);
  }

  @AfterAll
  static void tearDown() throws Exception {
    stores.close();
    System.clearProperty(StoreAdmin.AZURE_CONNECTION_VARIABLE);
  }

  @BeforeEach
  void reset() {
    FaultLog.reset();
  }

  /** A fresh bucket of that kind. */
  private String bucket(StoreKind kind) throws IOException {
    String bucket = "faults-" + BUCKETS.incrementAndGet();
    stores.createBucket(kind, bucket);
    return bucket;
  }

  /** Copies the source tree to faulty-KIND://BUCKET/dst/ with the given fault options. */
  private Cli copy(StoreKind kind, String bucket, Map<String, String> faults, String... extra) throws IOException {
    String scheme = FaultyStoreFactory.scheme(kind);
    Map<String, String> config = new HashMap<>();
    if (kind == StoreKind.S3) {
      config.put(scheme + ".endpoint", S3.endpoint().endpoint().toString());
      config.put(scheme + ".path-style", "true");
      config.put(scheme + ".region", S3.endpoint().region());
    } else if (kind == StoreKind.GS) {
      config.put(scheme + ".endpoint", GCS.endpoint().endpoint().toString());
      config.put(scheme + ".project", GCS.endpoint().projectId());
      config.put(scheme + ".anonymous", "true");
    } else {
      config.put(scheme + ".endpoint", AZURE.endpoint().endpoint().toString());
      config.put(scheme + "." + FaultyStoreFactory.CONTAINER, bucket);
    }
    faults.forEach((name, value) -> config.put(scheme + "." + name, value));
    Path storeConfig = stores.writeStoreConfig(tmp.resolve(bucket + ".properties"), config);
    report = tmp.resolve(bucket + ".json");
    String authority = kind == StoreKind.AZURE ? AZURE.endpoint().accountName() : bucket;
    List<String> args = new ArrayList<>(List.of("cp", "-r", source.toString(), scheme + "://" + authority + "/" + PREFIX,
        "--store-config", storeConfig.toString(), "--chunk-size", "5MiB", "-p", "2",
        "--json", report.toString(), "-q"));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  private JsonNode report() throws IOException {
    return new ObjectMapper().readTree(report.toFile());
  }

  private static String describe(Cli cli, StoreKind kind, String bucket) throws IOException {
    return cli + "\nstore calls: " + FaultLog.events() + "\nobjects in the bucket: "
        + stores.list(kind, bucket, "")
        + (kind == StoreKind.S3 ? "\nopen multipart uploads: " + stores.pendingS3Uploads(bucket) : "")
        + (kind == StoreKind.AZURE ? "\nuncommitted blocks: " + stores.uncommittedAzureBlocks(bucket) : "");
  }

  /**
   * The bucket holds exactly {@code expected} (relative to PREFIX), byte for byte, and nothing
   * else: no temporary part object, no open multipart upload.
   */
  private static void assertExactly(StoreKind kind, String bucket, Map<String, String> expected)
      throws IOException {
    assertThat(stores.digests(kind, bucket, PREFIX)).isEqualTo(expected);
    assertThat(stores.list(kind, bucket, "")).as("every object in the bucket").hasSize(expected.size());
    if (kind == StoreKind.S3) {
      assertThat(stores.pendingS3Uploads(bucket)).as("open multipart uploads").isEmpty();
    }
    if (kind == StoreKind.AZURE) {
      assertThat(stores.uncommittedAzureBlocks(bucket)).as("uncommitted blocks").isEmpty();
    }
  }

  /** Exit 1, the one object reported failed and absent, the others identical, nothing left over. */
  private void assertOnlyFailed(Cli cli, StoreKind kind, String bucket, String failedKey)
      throws IOException {
    assertThat(cli.exitCode()).as(describe(cli, kind, bucket)).isEqualTo(1);
    JsonNode json = report();
    assertThat(json.get("status").asText()).isEqualTo("failed");
    assertThat(json.get("objects").asLong()).isEqualTo(sourceDigests.size());
    assertThat(json.get("objectsFailed").asLong()).isEqualTo(1);
    assertThat(json.get("objectsCommitted").asLong()).isEqualTo(sourceDigests.size() - 1);
    assertThat(json.get("failures")).hasSize(1);
    assertThat(json.at("/failures/0/key").asText()).endsWith(failedKey);
    assertThat(json.at("/failures/0/error").asText()).contains("injected failure");
    Map<String, String> expected = new TreeMap<>(sourceDigests);
    expected.remove(failedKey);
    assertExactly(kind, bucket, expected);
  }

  @Test
  void theTestSchemesAreFoundLikeAnyStore() {
    assertThat(ObjectStores.serves(FaultyStoreFactory.scheme(StoreKind.S3))).isTrue();
    assertThat(ObjectStores.serves(FaultyStoreFactory.scheme(StoreKind.GS))).isTrue();
    assertThat(ObjectStores.serves(FaultyStoreFactory.scheme(StoreKind.AZURE))).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = StoreKind.class, names = {"S3", "GS", "AZURE"})
  void aFailingPartUploadFailsOnlyItsObject(StoreKind kind) throws IOException {
    String bucket = bucket(kind);
    Cli cli = copy(kind, bucket, Map.of("fail-key", VICTIM, "fail-upload", "2"));

    assertOnlyFailed(cli, kind, bucket, VICTIM);
    assertThat(FaultLog.events()).anyMatch(e -> e.startsWith("fault upload " + PREFIX + VICTIM));
    assertThat(FaultLog.count("completed " + PREFIX + VICTIM)).isZero();
  }

  /**
   * A frame damaged in transit in the middle of a part, after the part's first frames were already
   * streaming into the store: the object fails, its upload is aborted, nothing of it is left.
   */
  @ParameterizedTest
  @EnumSource(value = StoreKind.class, names = {"S3", "GS", "AZURE"})
  void aFrameDamagedMidPartNeverReachesACommittedObject(StoreKind kind) throws IOException {
    String bucket = bucket(kind);
    Cli cli = copy(kind, bucket, Map.of(), "--test-corrupt-chunk", VICTIM + "#1");

    assertThat(cli.exitCode()).as(describe(cli, kind, bucket)).isEqualTo(1);
    JsonNode json = report();
    assertThat(json.get("objectsFailed").asLong()).isEqualTo(1);
    assertThat(json.at("/failures/0/key").asText()).endsWith(VICTIM);
    assertThat(json.at("/failures/0/error").asText()).contains("chunk 1 of " + VICTIM).contains("checksum mismatch");
    assertThat(FaultLog.count("completed " + PREFIX + VICTIM)).isZero();
    Map<String, String> expected = new TreeMap<>(sourceDigests);
    expected.remove(VICTIM);
    assertExactly(kind, bucket, expected);
  }

  @ParameterizedTest
  @EnumSource(value = StoreKind.class, names = {"S3", "GS", "AZURE"})
  void aFailingCompleteFailsOnlyItsObject(StoreKind kind) throws IOException {
    String bucket = bucket(kind);
    Cli cli = copy(kind, bucket, Map.of("fail-key", VICTIM, "fail-complete", "before"));

    assertOnlyFailed(cli, kind, bucket, VICTIM);
    assertThat(FaultLog.count("fault complete " + PREFIX + VICTIM)).isPositive();
    assertThat(FaultLog.count("completed " + PREFIX + VICTIM)).isZero();
  }

  @ParameterizedTest
  @EnumSource(value = StoreKind.class, names = {"S3", "GS", "AZURE"})
  void aFailingWriteOfASmallObjectFailsOnlyThatObject(StoreKind kind) throws IOException {
    // put or a one-part upload, whichever the job uses for an object of one small chunk
    String small = "small/s3.txt";
    String bucket = bucket(kind);
    Cli cli = copy(kind, bucket, Map.of("fail-key", small, "fail-put", "true", "fail-upload", "1"));

    assertOnlyFailed(cli, kind, bucket, small);
  }

  @ParameterizedTest
  @EnumSource(value = StoreKind.class, names = {"S3", "GS", "AZURE"})
  void aCrashedWriterFailsTheJobAndLeavesNoOpenUploadAndNoPartialObject(StoreKind kind)
      throws IOException {
    // an Error, not an IOException: the writer's task fails, and with it the job
    String bucket = bucket(kind);
    Cli cli = copy(kind, bucket, Map.of("fail-key", VICTIM, "fail-upload", "2", "fail-kind", "crash"),
        "--restart-attempts", "0");

    assertThat(cli.exitCode()).as(describe(cli, kind, bucket)).isEqualTo(3);
    assertThat(report().get("status").asText()).isEqualTo("error");
    awaitNoPutInFlight(kind, bucket);
    // whatever was committed before the failure is whole; the victim is not there
    Map<String, String> written = stores.digests(kind, bucket, PREFIX);
    assertThat(written).doesNotContainKey(VICTIM);
    Map<String, String> expected = new TreeMap<>(sourceDigests);
    expected.keySet().retainAll(written.keySet());
    assertExactly(kind, bucket, expected);
  }

  @ParameterizedTest
  @EnumSource(value = StoreKind.class, names = {"S3", "GS", "AZURE"})
  void aWriterCrashingOnceRestartsTheJobAndEveryObjectArrivesOnce(StoreKind kind) throws IOException {
    // on a cluster (the test's MiniCluster is one) the job restarts after the crash
    String bucket = bucket(kind);
    Cli cli = copy(kind, bucket, Map.of("fail-key", VICTIM, "fail-upload", "2", "fail-kind", "crash",
        "fail-upload-times", "1"));

    assertThat(cli.exitCode()).as(describe(cli, kind, bucket)).isZero();
    JsonNode json = report();
    assertThat(json.get("restarts").asInt()).as(json.toString()).isEqualTo(1);
    assertThat(json.get("objectsCommitted").asLong()).isEqualTo(sourceDigests.size());
    awaitNoPutInFlight(kind, bucket);
    assertExactly(kind, bucket, sourceDigests);
  }

  /**
   * S3Proxy's filesystem backend writes a PUT to {@code KEY-UUID} and renames it when done, and
   * lists that temporary name meanwhile (real S3 never shows an unfinished PUT). A PUT the
   * cancelled job abandoned can stay in flight at the server for a moment after the job ended:
   * wait until S3Proxy has dropped it (at most 30 s).
   */
  private static void awaitNoPutInFlight(StoreKind kind, String bucket) throws IOException {
    if (kind != StoreKind.S3) {
      // A cancelled task's last store call (a staged block, an abort's placeholder) may still land
      // just after the client exited: wait until the bucket (uncommitted blobs included) stops
      // changing, then the assertions below judge what stays.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Map<String, Long> before = stores.list(kind, bucket, "");
      int quiet = 0;
      while (quiet < 3 && System.nanoTime() < deadline) {
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        Map<String, Long> now = stores.list(kind, bucket, "");
        quiet = now.equals(before) ? quiet + 1 : 0;
        before = now;
      }
      return;
    }
    Pattern temporary = Pattern.compile(".*-\\p{XDigit}{8}-(\\p{XDigit}{4}-){3}\\p{XDigit}{12}");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (stores.list(kind, bucket, "").keySet().stream().anyMatch(k -> temporary.matcher(k).matches())
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = StoreKind.class, names = {"S3", "GS", "AZURE"})
  void aCompleteWhoseAnswerWasLostCommitsTheObjectOnce(StoreKind kind) throws IOException {
    String bucket = bucket(kind);
    Cli cli = copy(kind, bucket,
        Map.of("fail-key", VICTIM, "fail-complete", "after", "fail-complete-times", "1"));

    assertThat(cli.exitCode()).as(describe(cli, kind, bucket)).isZero();
    assertThat(FaultLog.count("fault lost answer of complete " + PREFIX + VICTIM)).isEqualTo(1);
    // one upload of the object, not a second copy after the lost answer
    assertThat(FaultLog.count("create " + PREFIX + VICTIM)).as(FaultLog.events().toString()).isEqualTo(1);
    JsonNode json = report();
    assertThat(json.get("status").asText()).isEqualTo("succeeded");
    assertThat(json.get("objectsCommitted").asLong()).isEqualTo(sourceDigests.size());
    assertThat(json.get("failures")).isEmpty();
    assertExactly(kind, bucket, sourceDigests);
  }
}
