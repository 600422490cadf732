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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code skyplane sync} between object stores: a first sync copies everything, a second copies
 * nothing, and after changes at the source (a new size; the same size with new bytes, written
 * later) and an extra object at the destination, {@code sync --delete} copies exactly the changed
 * objects and deletes the extra one. Checked by SHA-256 through the providers' SDKs.
 */
class StoreSyncIT {
  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();
  @RegisterExtension static final AzuriteExtension AZURE = AzuriteExtension.shared();
  @RegisterExtension
  static final GcsServerExtension GCS = GcsServerExtension.shared();
  @RegisterExtension static final MiniClusterExtension CLUSTER = Clusters.twoTaskManagers();

  private static final long MIB = 1L << 20;

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

  static Stream<Arguments> pairs() {
    return Stream.of(
        Arguments.of(StoreKind.S3, StoreKind.GS),
        Arguments.of(StoreKind.GS, StoreKind.AZURE),
        Arguments.of(StoreKind.AZURE, StoreKind.S3));
  }

  private static JsonNode sync(String source, String destination, String... extra) throws IOException {
    Path report = Files.createTempFile(tmp, "sync-", ".json");
    String[] fixed = {"sync", source, destination, "--store-config", storeConfig.toString(),
        "--chunk-size", "5MiB", "-p", "2", "-q", "--json", report.toString()};
    String[] args = Stream.concat(Stream.of(fixed), Stream.of(extra)).toArray(String[]::new);
    Cli cli = Cli.run(args);
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    return new ObjectMapper().readTree(report.toFile());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("pairs")
  void syncsChangesAndDeletesExtras(StoreKind from, StoreKind to) throws Exception {
    Path tree = tmp.resolve("tree-" + from + "-" + to);
    Trees.random(tree.resolve("multi.bin"), 2 * 5 * MIB + 17, 1);
    Trees.text(tree.resolve("a.txt"), 1000);
    Trees.random(tree.resolve("d/same-size.bin"), 4000, 2);
    Files.createFile(tree.resolve("d/empty"));
    String source = "sync-src-" + from + "-" + to;
    String destination = "sync-dst-" + from + "-" + to;
    stores.createBucket(from, source);
    stores.createBucket(to, destination);
    stores.uploadTree(from, source, tree);
    String src = stores.uri(from, source, "");
    String dst = stores.uri(to, destination, "copy");

    JsonNode first = sync(src, dst);
    assertThat(first.get("toCopy").asInt()).as(first.toString()).isEqualTo(4);
    assertThat(stores.digests(to, destination, "copy/")).isEqualTo(Trees.digests(tree));

    JsonNode second = sync(src, dst);
    assertThat(second.get("toCopy").asInt()).as(second.toString()).isZero();
    assertThat(second.get("unchanged").asInt()).isEqualTo(4);

    Thread.sleep(1100); // S3 times have whole seconds: the rewritten source must be newer
    Path changes = tmp.resolve("changes-" + from + "-" + to);
    Trees.text(changes.resolve("a.txt"), 1001); // a new size
    Trees.random(changes.resolve("d/same-size.bin"), 4000, 3); // same size, new bytes
    stores.uploadTree(from, source, changes);
    Files.copy(changes.resolve("a.txt"), tree.resolve("a.txt"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(changes.resolve("d/same-size.bin"), tree.resolve("d/same-size.bin"),
        StandardCopyOption.REPLACE_EXISTING);
    Path extra = tmp.resolve("extra-" + from + "-" + to);
    Trees.text(extra.resolve("copy/extra.txt"), 5);
    stores.uploadTree(to, destination, extra);

    JsonNode third = sync(src, dst, "--delete");
    assertThat(third.get("toCopy").asInt()).as(third.toString()).isEqualTo(2);
    assertThat(third.get("unchanged").asInt()).isEqualTo(2);
    assertThat(third.get("deleted")).extracting(JsonNode::asText).containsExactly("extra.txt");
    assertThat(stores.digests(to, destination, "copy/")).isEqualTo(Trees.digests(tree));
    assertThat(stores.list(to, destination, "")).hasSize(4);
  }

  static Stream<Arguments> checksumDestinations() {
    return Stream.of(Arguments.of(StoreKind.S3, false), Arguments.of(StoreKind.GS, true));
  }

  /**
   * A same-size edit that kept its time: plain sync sees nothing (the store's copy is newer), {@code
   * --checksum} copies exactly that file. S3 lists no CRC32C (both sides are read); GCS does (only
   * the files are read).
   */
  @ParameterizedTest(name = "local -> {0}")
  @MethodSource("checksumDestinations")
  void checksumFindsASameSizeEditThatKeptItsTime(StoreKind to, boolean destinationListsCrc) throws Exception {
    Path tree = tmp.resolve("checksum-src-" + to);
    Trees.random(tree.resolve("a.bin"), 3 * MIB + 17, 11);
    Trees.text(tree.resolve("b.txt"), 2000);
    Path edited = Trees.random(tree.resolve("d/c.bin"), 4000, 12);
    String bucket = "checksum-" + to;
    stores.createBucket(to, bucket);
    String dst = stores.uri(to, bucket, "copy");
    assertThat(sync(tree.toString(), dst).get("toCopy").asInt()).isEqualTo(3);

    FileTime time = Files.getLastModifiedTime(edited);
    Trees.random(edited, 4000, 13);
    Files.setLastModifiedTime(edited, time);

    JsonNode plain = sync(tree.toString(), dst);
    assertThat(plain.get("toCopy").asInt()).as(plain.toString()).isZero();
    assertThat(stores.digests(to, bucket, "copy/")).isNotEqualTo(Trees.digests(tree));

    JsonNode checked = sync(tree.toString(), dst, "--checksum");
    assertThat(checked.get("toCopy").asInt()).as(checked.toString()).isEqualTo(1);
    assertThat(checked.get("unchanged").asInt()).isEqualTo(2);
    long sizes = 3 * MIB + 17 + 2000 + 4000;
    assertThat(checked.get("bytesChecksummed").asLong()).isEqualTo(destinationListsCrc ? sizes : 2 * sizes);
    assertThat(stores.digests(to, bucket, "copy/")).isEqualTo(Trees.digests(tree));
  }
}
