package io.skyplane.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.job.testing.Cli;
import io.skyplane.job.testing.Clusters;
import io.skyplane.job.testing.StoreAdmin;
import io.skyplane.job.testing.StoreKind;
import io.skyplane.job.testing.Trees;
import io.skyplane.testing.servers.AzuriteExtension;
import io.skyplane.testing.servers.GcsServerExtension;
import io.skyplane.testing.servers.S3ServerExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Input a tester found skipped or fatal: directory markers, keys that look like skyplane's own
 * temporary names, names of 255 bytes, one object that cannot be written among many, a source
 * holding a run's area, and two runs writing the same key at once. Nothing is skipped silently.
 */
class OddInputIT {
  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();
  @RegisterExtension static final AzuriteExtension AZURE = AzuriteExtension.shared();
  @RegisterExtension
  static final GcsServerExtension GCS = GcsServerExtension.shared();
  @RegisterExtension static final MiniClusterExtension CLUSTER = Clusters.twoTaskManagers();

  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static final String LONG_NAME = "n".repeat(251) + ".bin"; // 255 bytes

  @TempDir static Path tmp;
  private static StoreAdmin stores;
  private static Path storeConfig;

  @BeforeAll
  static void setUp() throws IOException {
    stores = new StoreAdmin(tmp.resolve("local"), S3.endpoint(), GCS.endpoint(), AZURE.endpoint());
    stores.useCredentialsInThisJvm();
    storeConfig = stores.writeStoreConfig(tmp.resolve("stores.properties"), Map.of());
  }

  @AfterAll
  static void tearDown() throws Exception {
    stores.close();
    System.clearProperty(StoreAdmin.AZURE_CONNECTION_VARIABLE);
  }

  private static String bucket(StoreKind kind) throws IOException {
    String bucket = "odd-" + BUCKETS.incrementAndGet();
    stores.createBucket(kind, bucket);
    return bucket;
  }

  private static Cli cp(String from, String to, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("cp", "-r", from, to, "--store-config",
        storeConfig.toString(), "--chunk-size", "5MiB", "-p", "2", "-q"));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void markersAndKeysThatLookLikeSkyplanesOwnAreCopiedBetweenStoresAndToFiles() throws IOException {
    // GCS to Azure to files (S3Proxy's file-system backend cannot hold "dir/" beside "dir/a.txt")
    String src = bucket(StoreKind.GS);
    Map<String, byte[]> objects = new TreeMap<>();
    objects.put("dir/", new byte[0]);
    objects.put("dir/a.txt", "a".getBytes(StandardCharsets.UTF_8));
    objects.put("empty/", new byte[0]);
    objects.put(".skyplane-tmp/notes.txt", "mine".getBytes(StandardCharsets.UTF_8));
    objects.put(".skyplane-tmp/x/part-00001", "also mine".getBytes(StandardCharsets.UTF_8));
    objects.put(".a.txt.skyplane-0123456789ab.tmp", "looks temporary".getBytes(StandardCharsets.UTF_8));
    objects.put("deep/" + LONG_NAME, new byte[1000]);
    objects.forEach((key, data) -> stores.putBytes(StoreKind.GS, src, key, data));
    Map<String, String> expected = stores.digests(StoreKind.GS, src, "");
    assertThat(expected).containsKeys("dir/", "empty/", ".skyplane-tmp/notes.txt");
    String azure = bucket(StoreKind.AZURE);

    Cli toAzure = cp(stores.uri(StoreKind.GS, src, ""), stores.uri(StoreKind.AZURE, azure, ""));
    Cli toFiles = cp(stores.uri(StoreKind.AZURE, azure, ""), tmp.resolve("files-" + azure).toString());

    assertThat(toAzure.exitCode()).as(toAzure.toString()).isZero();
    assertThat(stores.digests(StoreKind.AZURE, azure, "")).isEqualTo(expected);
    assertThat(toFiles.exitCode()).as(toFiles.toString()).isZero();
    Path files = tmp.resolve("files-" + azure);
    assertThat(files.resolve("empty")).isEmptyDirectory();
    assertThat(files.resolve("dir/a.txt")).hasContent("a");
    assertThat(files.resolve(".skyplane-tmp/notes.txt")).hasContent("mine");
    assertThat(files.resolve(".skyplane-tmp/x/part-00001")).hasContent("also mine");
    assertThat(files.resolve(".a.txt.skyplane-0123456789ab.tmp")).hasContent("looks temporary");
    assertThat(files.resolve("deep/" + LONG_NAME)).hasSize(1000);
    try (Stream<Path> area = Files.list(files.resolve(".skyplane-tmp"))) {
      assertThat(area.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("notes.txt", "x");
    }
  }

  @Test
  void namesOf255BytesAndTemporaryLookingFilesGoFromFilesToFiles() throws IOException {
    Path src = tmp.resolve("long-src");
    Trees.random(src.resolve("a/" + LONG_NAME), (6L << 20) + 3, 1); // two chunks
    Trees.random(src.resolve(LONG_NAME), 10, 2);
    Trees.text(src.resolve(".x.skyplane-0123456789ab.tmp"), 100);
    Path dst = tmp.resolve("long-dst");

    Cli cli = cp(src.toString(), dst.toString());

    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    Trees.assertIdentical(src, dst);
    assertThat(dst.resolve(".skyplane-tmp")).doesNotExist();
  }

  @Test
  void anObjectThatCannotBeWrittenFailsAloneAndTheOthersArrive() throws IOException {
    Path src = tmp.resolve("blocked-src");
    for (int i = 0; i < 5; i++) {
      Trees.text(src.resolve("ok/f" + i), 1000 + i);
    }
    Trees.text(src.resolve("blocked"), 500);
    Path dst = tmp.resolve("blocked-dst");
    Files.createDirectories(dst.resolve("blocked/in-the-way")); // a directory where the file goes
    Path report = tmp.resolve("blocked.json");

    Cli cli = cp(src.toString(), dst.toString(), "--json", report.toString());

    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("objectsCommitted").asInt()).isEqualTo(5);
    assertThat(json.at("/failures/0/key").asText()).isEqualTo("blocked");
    assertThat(json.at("/failures/0/error").asText()).contains("directory is in the way");
    for (int i = 0; i < 5; i++) {
      assertThat(dst.resolve("ok/f" + i)).hasSameBinaryContentAs(src.resolve("ok/f" + i));
    }
    assertThat(dst.resolve(".skyplane-tmp")).doesNotExist();
  }

  @Test
  void aSourceHoldingARunsAreaIsRefusedBeforeAnythingIsWritten() throws IOException {
    Path src = tmp.resolve("area-src");
    Trees.text(src.resolve("data.txt"), 100);
    Trees.text(src.resolve(".skyplane-tmp/0123456789ab/files/00000000000000000000000000000000"), 100);
    Path dst = tmp.resolve("area-dst");

    Cli cli = cp(src.toString(), dst.toString());

    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
    assertThat(cli.errLines()).hasSize(1);
    assertThat(cli.err()).contains("skyplane run 0123456789ab").contains("skyplane clean");
    assertThat(dst).doesNotExist();
  }

  /**
   * Two runs copy the same tree to the same keys at once: neither aborts the other's uploads, the
   * objects end whole (one run's or the other's, byte-identical here) and nothing is left. On S3 and
   * GCS both runs succeed (the last complete wins). On Azure a commit discards every other upload's
   * staged blocks of that blob, so the run whose commit comes second may fail that one object, with
   * that reason, and nothing else.
   */
  @ParameterizedTest
  @EnumSource(value = StoreKind.class, names = {"S3", "GS", "AZURE"})
  void twoRunsWritingTheSameKeysAtOnceBothEndWholeAndLeaveNothing(StoreKind kind) throws Exception {
    Path src = tmp.resolve("same-" + kind);
    Trees.random(src.resolve("big.bin"), (12L << 20) + 7, 3); // three parts
    Trees.text(src.resolve("small.txt"), 700);
    String bucket = bucket(kind);
    String to = stores.uri(kind, bucket, "same/");

    CompletableFuture<Cli> first = CompletableFuture.supplyAsync(() -> cp(src.toString(), to));
    CompletableFuture<Cli> second = CompletableFuture.supplyAsync(() -> cp(src.toString(), to));

    boolean preempted = false;
    for (Cli run : List.of(first.get(), second.get())) {
      if (kind == StoreKind.AZURE && run.exitCode() == 1) {
        assertThat(run.err()).as(run.toString()).contains("failed: big.bin")
            .contains("another writer committed the blob meanwhile");
        preempted = true;
      } else {
        assertThat(run.exitCode()).as(run.toString()).isZero();
      }
    }
    assertThat(stores.digests(kind, bucket, "same/")).isEqualTo(Trees.digests(src));
    assertThat(stores.list(kind, bucket, "")).as("every object in the bucket").hasSize(2);
    if (kind == StoreKind.S3) {
      assertThat(stores.pendingS3Uploads(bucket)).as("open multipart uploads").isEmpty();
    }
    if (kind == StoreKind.AZURE && !preempted) {
      assertThat(stores.uncommittedAzureBlocks(bucket)).as("uncommitted blocks").isEmpty();
    }
    // A pre-empted Azure upload may leave blocks it staged after the other run's commit: Azure has
    // no call that deletes uncommitted blocks, and committing the blob again to drop them would drop
    // a third writer's too. They are invisible and go with the blob's next commit (or after 7 days).
  }
}
