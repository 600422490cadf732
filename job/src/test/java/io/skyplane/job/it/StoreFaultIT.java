package io.skyplane.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.job.testing.Cli;
import io.skyplane.job.testing.Clusters;
import io.skyplane.job.testing.FaultLog;
import io.skyplane.job.testing.FaultyS3StoreFactory;
import io.skyplane.job.testing.StoreAdmin;
import io.skyplane.job.testing.StoreKind;
import io.skyplane.job.testing.Trees;
import io.skyplane.store.ObjectStores;
import io.skyplane.testing.servers.S3ServerExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 writes fail inside a real {@code skyplane cp} (store {@code faulty-s3}: the real S3 store on
 * S3Proxy with faults injected around it): the object hit is reported failed and is absent, every
 * other object arrives byte-identical, a complete whose answer was lost still commits the object
 * once, a crashed writer fails the job (exit 3), and no multipart upload is left open in any case.
 */
class StoreFaultIT {
  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();
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

  private String bucket;
  private Path report;

  @BeforeAll
  static void setUp() throws IOException {
    stores = new StoreAdmin(tmp.resolve("local"), S3.endpoint(), null, null);
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
  }

  @BeforeEach
  void freshBucket() throws IOException {
    FaultLog.reset();
    bucket = "faults-" + BUCKETS.incrementAndGet();
    stores.createBucket(StoreKind.S3, bucket);
    report = tmp.resolve(bucket + ".json");
  }

  /** Copies the source tree to faulty-s3://BUCKET/dst/ with the given fault options. */
  private Cli copy(Map<String, String> faults) throws IOException {
    Map<String, String> config = new HashMap<>();
    config.put("faulty-s3.endpoint", S3.endpoint().endpoint().toString());
    config.put("faulty-s3.path-style", "true");
    config.put("faulty-s3.region", S3.endpoint().region());
    faults.forEach((name, value) -> config.put("faulty-s3." + name, value));
    Path storeConfig = stores.writeStoreConfig(tmp.resolve(bucket + ".properties"), config);
    return Cli.run("cp", "-r", source.toString(),
        FaultyS3StoreFactory.SCHEME + "://" + bucket + "/" + PREFIX, "--store-config",
        storeConfig.toString(), "--chunk-size", "5MiB", "-p", "2", "--json", report.toString(), "-q");
  }

  private JsonNode report() throws IOException {
    return new ObjectMapper().readTree(report.toFile());
  }

  /** Exit 1, the one object reported failed and absent, the others identical, no open upload. */
  private void assertOnlyFailed(Cli cli, String failedKey) throws IOException {
    assertThat(cli.exitCode()).as(cli + "\nstore calls: " + FaultLog.events()).isEqualTo(1);
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
    assertThat(stores.digests(StoreKind.S3, bucket, PREFIX)).isEqualTo(expected);
    assertThat(stores.list(StoreKind.S3, bucket, "")).hasSize(expected.size());
    assertThat(stores.pendingS3Uploads(bucket)).as("open multipart uploads").isEmpty();
  }

  @Test
  void theTestSchemeIsFoundLikeAnyStore() {
    assertThat(ObjectStores.serves(FaultyS3StoreFactory.SCHEME)).isTrue();
  }

  @Test
  void aFailingPartUploadFailsOnlyItsObject() throws IOException {
    Cli cli = copy(Map.of("fail-key", VICTIM, "fail-upload", "2"));

    assertOnlyFailed(cli, VICTIM);
    assertThat(FaultLog.events()).anyMatch(e -> e.startsWith("fault upload " + PREFIX + VICTIM));
    assertThat(FaultLog.count("completed " + PREFIX + VICTIM)).isZero();
  }

  @Test
  void aFailingCompleteFailsOnlyItsObject() throws IOException {
    Cli cli = copy(Map.of("fail-key", VICTIM, "fail-complete", "before"));

    assertOnlyFailed(cli, VICTIM);
    assertThat(FaultLog.count("fault complete " + PREFIX + VICTIM)).isPositive();
    assertThat(FaultLog.count("completed " + PREFIX + VICTIM)).isZero();
  }

  @Test
  void aFailingWriteOfASmallObjectFailsOnlyThatObject() throws IOException {
    // put or a one-part upload, whichever the job uses for an object of one small chunk
    String small = "small/s3.txt";
    Cli cli = copy(Map.of("fail-key", small, "fail-put", "true", "fail-upload", "1"));

    assertOnlyFailed(cli, small);
  }

  @Test
  void aCrashedWriterFailsTheJobAndLeavesNoOpenUploadAndNoPartialObject() throws IOException {
    // an Error, not an IOException: the writer's task fails, and with it the job
    Cli cli = copy(Map.of("fail-key", VICTIM, "fail-upload", "2", "fail-kind", "crash"));

    assertThat(cli.exitCode()).as(cli + "\nstore calls: " + FaultLog.events()).isEqualTo(3);
    assertThat(report().get("status").asText()).isEqualTo("error");
    assertThat(stores.pendingS3Uploads(bucket)).as("open multipart uploads").isEmpty();
    // whatever was committed before the failure is whole; the victim is not there
    Map<String, String> written = stores.digests(StoreKind.S3, bucket, PREFIX);
    assertThat(written).doesNotContainKey(VICTIM);
    written.forEach((key, digest) -> assertThat(digest).as(key).isEqualTo(sourceDigests.get(key)));
  }

  @Test
  void aCompleteWhoseAnswerWasLostCommitsTheObjectOnce() throws IOException {
    Cli cli = copy(Map.of("fail-key", VICTIM, "fail-complete", "after", "fail-complete-times", "1"));

    assertThat(cli.exitCode()).as(cli + "\nstore calls: " + FaultLog.events()
        + "\nobjects at the destination: " + stores.list(StoreKind.S3, bucket, "")).isZero();
    assertThat(FaultLog.count("fault lost answer of complete " + PREFIX + VICTIM)).isEqualTo(1);
    // one upload of the object, not a second copy after the lost answer
    assertThat(FaultLog.count("create " + PREFIX + VICTIM)).as(FaultLog.events().toString()).isEqualTo(1);
    JsonNode json = report();
    assertThat(json.get("status").asText()).isEqualTo("succeeded");
    assertThat(json.get("objectsCommitted").asLong()).isEqualTo(sourceDigests.size());
    assertThat(json.get("failures")).isEmpty();
    assertThat(stores.digests(StoreKind.S3, bucket, PREFIX)).isEqualTo(sourceDigests);
    assertThat(stores.list(StoreKind.S3, bucket, "")).hasSize(sourceDigests.size());
    assertThat(stores.pendingS3Uploads(bucket)).as("open multipart uploads").isEmpty();
  }
}
