package io.skyplane.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.job.testing.Cli;
import io.skyplane.job.testing.Clusters;
import io.skyplane.job.testing.EdgeCaseTree;
import io.skyplane.job.testing.Rclone;
import io.skyplane.job.testing.StoreAdmin;
import io.skyplane.job.testing.StoreKind;
import io.skyplane.job.testing.Trees;
import io.skyplane.testing.servers.AzuriteExtension;
import io.skyplane.testing.servers.GcsServerExtension;
import io.skyplane.testing.servers.S3ServerExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code skyplane cp} between every ordered pair of {local, S3, GCS, Azure} (and S3 to S3 between
 * buckets, the whole source bucket), each on its real local server, checked by clients that are
 * not skyplane's: {@code rclone check --download}, a SHA-256 of every object read back through the
 * provider's SDK, an exact listing of the destination bucket (no temporary part objects, no stray
 * keys), no open S3 multipart upload and no uncommitted Azure block. Also: single objects to a key
 * or into a prefix, a second copy over the objects of a first one, and whole buckets as the
 * destination and the source.
 */
class CrossStoreCopyIT {
  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();
  @RegisterExtension static final AzuriteExtension AZURE = AzuriteExtension.shared();
  @RegisterExtension
  static final GcsServerExtension GCS = GcsServerExtension.shared();
  @RegisterExtension static final MiniClusterExtension CLUSTER = Clusters.twoTaskManagers();

  @TempDir static Path tmp;

  private static StoreAdmin stores;
  private static Rclone rclone;
  private static Path image;
  private static Path storeConfig;
  /** Source bucket of each kind, holding the image; uploaded on first use. */
  private static final Map<StoreKind, String> SOURCES = new EnumMap<>(StoreKind.class);

  @BeforeAll
  static void setUp() throws IOException {
    stores = new StoreAdmin(tmp.resolve("local"), S3.endpoint(), GCS.endpoint(), AZURE.endpoint());
    stores.useCredentialsInThisJvm();
    image = EdgeCaseTree.write(tmp.resolve("image"));
    storeConfig = stores.writeStoreConfig(tmp.resolve("stores.properties"), Map.of());
    rclone = Rclone.configure(stores, tmp.resolve("rclone"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    stores.close();
    System.clearProperty(StoreAdmin.AZURE_CONNECTION_VARIABLE);
  }

  static Stream<Arguments> pairs() {
    List<Arguments> pairs = new ArrayList<>();
    for (StoreKind from : StoreKind.values()) {
      for (StoreKind to : StoreKind.values()) {
        if (from != to) {
          pairs.add(Arguments.of(from, to, EdgeCaseTree.TREE));
        }
      }
    }
    pairs.add(Arguments.of(StoreKind.S3, StoreKind.S3, "")); // bucket to bucket, the whole bucket
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0} -> {1}, source prefix ''{2}''")
  @MethodSource("pairs")
  void copiesEveryObjectByteForByte(StoreKind from, StoreKind to, String sourcePrefix) throws Exception {
    String source = source(from);
    String bucket = "dst-" + from + "-" + to + (sourcePrefix.isEmpty() ? "-all" : "");
    stores.createBucket(to, bucket);
    String prefix = "copied/from-" + from;
    // "dir" and "dir/" both name the prefix as a directory: use both forms across the pairs
    boolean slash = (from.ordinal() + to.ordinal()) % 2 == 0;
    String sourceUri = stores.uri(from, source, sourcePrefix);
    String destinationUri = stores.uri(to, bucket, prefix + (slash ? "/" : ""));
    Path expectedRoot = sourcePrefix.isEmpty() ? image : image.resolve(sourcePrefix);
    Map<String, String> expected = Trees.digests(expectedRoot);
    long bytes = 0;
    for (String key : expected.keySet()) {
      bytes += Files.size(expectedRoot.resolve(key));
    }
    Path report = tmp.resolve("report-" + bucket + ".json");

    Cli cli = Cli.run("cp", "-r", sourceUri, destinationUri, "--store-config", storeConfig.toString(),
        "--chunk-size", "5MiB", "-p", "2", "--json", report.toString(), "-q");

    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("status").asText()).as(json.toString()).isEqualTo("succeeded");
    assertThat(json.get("objects").asLong()).isEqualTo(expected.size());
    assertThat(json.get("objectsCommitted").asLong()).isEqualTo(expected.size());
    assertThat(json.get("objectsFailed").asLong()).isZero();
    assertThat(json.get("bytes").asLong()).isEqualTo(bytes);
    assertThat(json.get("failures")).isEmpty();

    Rclone.Result check = rclone.run("check", "--download",
        rclone.remote(from, source, sourcePrefix), rclone.remote(to, bucket, prefix));
    assertThat(check.exitCode()).as(check.toString()).isZero();
    assertThat(check.output()).as(check.toString())
        .contains("0 differences found", expected.size() + " matching files");

    assertThat(stores.digests(to, bucket, prefix + "/")).isEqualTo(expected);
    assertOnlyObjects(to, bucket, prefix + "/", expected.keySet());
  }

  /** The bucket holds exactly the copied keys: no temporary objects, no leftover upload state. */
  private static void assertOnlyObjects(StoreKind kind, String bucket, String prefix,
      Iterable<String> relativeKeys) throws IOException {
    Map<String, Long> listed = stores.list(kind, bucket, "");
    List<String> expectedKeys = new ArrayList<>();
    relativeKeys.forEach(k -> expectedKeys.add(prefix + k));
    assertThat(listed.keySet()).as("every object in %s bucket %s", kind, bucket)
        .containsExactlyInAnyOrderElementsOf(expectedKeys);
    switch (kind) {
      case S3 -> assertThat(stores.pendingS3Uploads(bucket)).as("open multipart uploads").isEmpty();
      case AZURE -> assertThat(stores.uncommittedAzureBlocks(bucket)).as("uncommitted blocks").isEmpty();
      case LOCAL -> Trees.assertNoTemporaryFiles(stores.local(bucket));
      case GS -> { } // temporary part objects would have shown in the listing
    }
  }

  static Stream<Arguments> singleObjects() {
    return Stream.of(
        // a 3-part object to an exact key
        Arguments.of(StoreKind.S3, StoreKind.GS, "multi/three-parts.bin", "renamed/object.bin"),
        // into a prefix (DST ends with '/')
        Arguments.of(StoreKind.AZURE, StoreKind.S3, "unicode/日本語 ñandú é.txt", "into/"),
        Arguments.of(StoreKind.GS, StoreKind.AZURE, "one-chunk-plus-one.bin", "into/"),
        // into an existing local directory (no trailing '/')
        Arguments.of(StoreKind.GS, StoreKind.LOCAL, "special/a+b=c.txt", "existing-dir"));
  }

  @ParameterizedTest(name = "{0} -> {1}: {2} to ''{3}''")
  @MethodSource("singleObjects")
  void copiesOneObjectToAKeyOrIntoAPrefix(StoreKind from, StoreKind to, String key, String target)
      throws Exception {
    String source = source(from);
    String bucket = "one-" + from + "-" + to;
    stores.createBucket(to, bucket);
    if (to == StoreKind.LOCAL) {
      Files.createDirectories(stores.local(bucket).resolve(target));
    }
    boolean into = target.endsWith("/") || to == StoreKind.LOCAL;
    String basename = key.substring(key.lastIndexOf('/') + 1);
    String expectedKey = into ? (target.endsWith("/") ? target : target + "/") + basename : target;

    Cli cli = Cli.run("cp", stores.uri(from, source, EdgeCaseTree.TREE + "/" + key),
        stores.uri(to, bucket, target), "--store-config", storeConfig.toString(),
        "--chunk-size", "5MiB", "-p", "2", "-q");

    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    Map<String, String> expected = new TreeMap<>();
    expected.put(expectedKey, Trees.sha256(image.resolve(EdgeCaseTree.TREE).resolve(key)));
    assertThat(stores.digests(to, bucket, "")).isEqualTo(expected);
    assertOnlyObjects(to, bucket, "", expected.keySet());
  }

  @ParameterizedTest(name = "local -> {0}")
  @EnumSource(value = StoreKind.class, names = {"S3", "GS", "AZURE"})
  void replacesTheObjectsOfAnEarlierCopy(StoreKind to) throws Exception {
    Path first = tmp.resolve("v1-" + to);
    Trees.random(first.resolve("multi.bin"), 2 * EdgeCaseTree.CHUNK + 10, 1);
    Trees.text(first.resolve("small.txt"), 100);
    Path second = tmp.resolve("v2-" + to);
    Trees.random(second.resolve("multi.bin"), 2 * EdgeCaseTree.CHUNK + (1L << 20), 2);
    Trees.text(second.resolve("small.txt"), 200);
    String bucket = "again-" + to;
    stores.createBucket(to, bucket);
    String destination = stores.uri(to, bucket, "same");

    for (Path version : List.of(first, second)) {
      Cli cli = Cli.run("cp", "-r", version.toString(), destination, "--store-config",
          storeConfig.toString(), "--chunk-size", "5MiB", "-p", "2", "-q");
      assertThat(cli.exitCode()).as(cli.toString()).isZero();
    }

    Map<String, String> expected = Trees.digests(second);
    assertThat(stores.digests(to, bucket, "same/")).isEqualTo(expected);
    assertOnlyObjects(to, bucket, "same/", expected.keySet());
  }

  @ParameterizedTest(name = "local -> {0} -> local")
  @EnumSource(value = StoreKind.class, names = {"S3", "GS", "AZURE"})
  void copiesIntoTheRootOfABucketAndTheWholeBucketBack(StoreKind kind) throws Exception {
    Path tree = tmp.resolve("root-src-" + kind);
    Trees.random(tree.resolve("multi.bin"), 2 * EdgeCaseTree.CHUNK + 3, 4);
    Trees.text(tree.resolve("d/small.txt"), 300);
    String bucket = "root-" + kind;
    stores.createBucket(kind, bucket);
    // the bucket with no prefix and no trailing '/'
    String root = stores.uri(kind, bucket, "").replaceAll("/$", "");
    Path back = tmp.resolve("root-back-" + kind);

    Cli up = Cli.run("cp", "-r", tree.toString(), root, "--store-config", storeConfig.toString(),
        "--chunk-size", "5MiB", "-p", "2", "-q");
    assertThat(up.exitCode()).as(up.toString()).isZero();
    Cli down = Cli.run("cp", "-r", root, back.toString(), "--store-config", storeConfig.toString(),
        "--chunk-size", "5MiB", "-p", "2", "-q");
    assertThat(down.exitCode()).as(down.toString()).isZero();

    Trees.assertIdentical(tree, back);
    assertOnlyObjects(kind, bucket, "", Trees.digests(tree).keySet());
  }

  /** The source bucket of a kind, with the image uploaded through the provider's SDK. */
  private static synchronized String source(StoreKind kind) throws IOException {
    String bucket = SOURCES.get(kind);
    if (bucket == null) {
      bucket = "src-" + kind;
      stores.createBucket(kind, bucket);
      stores.uploadTree(kind, bucket, image);
      SOURCES.put(kind, bucket);
    }
    return bucket;
  }
}
