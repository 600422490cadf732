package io.skyplane.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.job.testing.Cli;
import io.skyplane.job.testing.Clusters;
import io.skyplane.job.testing.StoreAdmin;
import io.skyplane.job.testing.StoreKind;
import io.skyplane.job.testing.Trees;
import io.skyplane.testing.servers.GcsServerExtension;
import io.skyplane.testing.servers.S3ServerExtension;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input with object-store locations: exit 2, one line on stderr naming the problem, nothing written. */
class StoreBadInputIT {
  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();
  @RegisterExtension
  static final GcsServerExtension GCS = GcsServerExtension.shared();
  @RegisterExtension static final MiniClusterExtension CLUSTER = Clusters.twoTaskManagers();

  @TempDir static Path tmp;
  private static StoreAdmin stores;
  private static Path config;
  private static Path source;

  @BeforeAll
  static void setUp() throws IOException {
    stores = new StoreAdmin(tmp.resolve("local"), S3.endpoint(), GCS.endpoint(), null);
    stores.useCredentialsInThisJvm();
    config = stores.writeStoreConfig(tmp.resolve("stores.properties"), Map.of());
    stores.createBucket(StoreKind.S3, "existing");
    source = tmp.resolve("src");
    Trees.text(source.resolve("a.txt"), 100);
    stores.uploadTree(StoreKind.S3, "existing", source);
  }

  @AfterAll
  static void tearDown() throws Exception {
    stores.close();
  }

  private static void assertRejected(Cli cli, String... expected) throws IOException {
    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
    assertThat(cli.errLines()).as(cli.toString()).hasSize(1);
    assertThat(cli.err()).contains(expected);
    assertThat(stores.list(StoreKind.S3, "existing", "")).containsOnlyKeys("a.txt");
    assertThat(stores.pendingS3Uploads("existing")).isEmpty();
  }

  @Test
  void missingSourceBucket() throws IOException {
    Path dst = tmp.resolve("dst-1");
    assertRejected(Cli.run("cp", "-r", "s3://no-such-bucket/dir", dst.toString(),
        "--store-config", config.toString()), "s3://no-such-bucket");
    assertThat(dst).doesNotExist();
  }

  @Test
  void missingDestinationBucket() throws IOException {
    assertRejected(Cli.run("cp", "-r", source.toString(), "s3://no-such-bucket/dir",
        "--store-config", config.toString()), "s3://no-such-bucket");
  }

  @Test
  void missingSourceObject() throws IOException {
    assertRejected(Cli.run("cp", "s3://existing/missing.txt", "s3://existing/copy.txt",
        "--store-config", config.toString()), "s3://existing/missing.txt");
  }

  @Test
  void storeConfigWithASecret() throws IOException {
    String secret = "wJalrXUtnFEMI-not-a-real-secret";
    Path withSecret = Files.writeString(tmp.resolve("secret.properties"),
        "s3.endpoint=" + S3.endpoint().endpoint() + "\ns3.secret-access-key=" + secret + "\n");
    Cli cli = Cli.run("cp", "-r", source.toString(), "s3://existing/dir",
        "--store-config", withSecret.toString());
    assertRejected(cli, "s3.secret-access-key");
    assertThat(cli.err()).doesNotContain(secret);
  }

  @Test
  void missingStoreConfig() throws IOException {
    assertRejected(Cli.run("cp", "-r", source.toString(), "s3://existing/dir",
        "--store-config", tmp.resolve("nope.properties").toString()), "nope.properties");
  }

  @Test
  void chunksBelowTheSmallestPartOfTheDestination() throws IOException {
    Path big = tmp.resolve("big-src");
    Trees.random(big.resolve("two-chunks.bin"), 2L << 20, 5);
    assertRejected(Cli.run("cp", "-r", big.toString(), "s3://existing/dir", "--chunk-size", "1MiB",
        "--store-config", config.toString()), "--chunk-size");
  }

  @Test
  void destinationInsideTheSourceBucket() throws IOException {
    assertRejected(Cli.run("cp", "-r", "s3://existing", "s3://existing/copy",
        "--store-config", config.toString()), "is inside the source");
  }

  @Test
  void keysThatAreNotRelativePathsAreRefusedForALocalDestination() throws IOException {
    // GCS stores any name; a local destination must never be written outside of
    stores.createBucket(StoreKind.GS, "odd-keys");
    Path image = tmp.resolve("odd-image");
    Trees.text(image.resolve("ok.txt"), 10);
    stores.uploadTree(StoreKind.GS, "odd-keys", image);
    stores.putBytes(StoreKind.GS, "odd-keys", "p/../escape.txt", new byte[] {1});
    stores.putBytes(StoreKind.GS, "odd-keys", "p/ok.txt", new byte[] {2});
    Path dst = tmp.resolve("odd-dst/inner");

    Cli cli = Cli.run("cp", "-r", "gs://odd-keys/p", dst.toString(), "--store-config", config.toString());

    assertRejected(cli, "../escape.txt");
    assertThat(tmp.resolve("odd-dst")).doesNotExist();
    assertThat(tmp.resolve("escape.txt")).doesNotExist();
  }

  static Stream<Arguments> badNumbersForAStore() throws IOException {
    Path huge = tmp.resolve("huge");
    if (!Files.exists(huge)) {
      Files.createDirectories(huge);
      try (RandomAccessFile file = new RandomAccessFile(huge.resolve("sparse.bin").toFile(), "rw")) {
        file.setLength(50L << 30); // sparse: takes no disk, lists as 50 GiB
      }
    }
    Path secret = Files.writeString(tmp.resolve("token.properties"),
        "s3.endpoint=" + S3.endpoint().endpoint() + "\ns3.path-style=true\ns3.token=abc123\n");
    String src = source.toString();
    String conf = config.toString();
    return Stream.of(
        Arguments.of(List.of("cp", "-r", src, "s3://existing/dir", "--store-config", conf, "--chunk-size", "1MiB"),
            "--chunk-size must be between 5MiB and 1GiB for s3://existing/dir/, got '1MiB'"),
        Arguments.of(List.of("cp", "-r", src, "gs://existing/dir", "--store-config", conf, "--chunk-size", "2GiB"),
            "--chunk-size must be between 64KiB and 1GiB, got '2GiB'"),
        Arguments.of(List.of("cp", "-r", src, "gs://existing/dir", "--store-config", conf, "--chunk-size", "4MiB"),
            "--chunk-size must be between 5MiB and 1GiB for gs://existing/dir/, got '4MiB'"),
        Arguments.of(List.of("cp", "-r", src, "s3://existing/dir", "--store-config", conf, "--chunk-size", "9000000T"),
            "--chunk-size '9000000T' is too large"),
        Arguments.of(List.of("cp", "-r", huge.toString(), "s3://existing/dir", "--store-config", conf,
            "--chunk-size", "5MiB"), "object 'sparse.bin' (50.0 GiB) needs 10240 chunks of --chunk-size 5MiB,"
            + " more than the 10000 of s3://existing/dir/: use --chunk-size 6MiB or more"),
        Arguments.of(List.of("sync", src, "s3://existing/dir", "--store-config", conf, "--delete", "--max-delete", "-5"),
            "--max-delete must be -1 (no limit) or at least 0, got -5"),
        Arguments.of(List.of("sync", src, "s3://existing", "--store-config", conf, "--checksum", "-p", "0"),
            "-p/--parallelism must be between 1 and 1024, got 0"),
        Arguments.of(List.of("cp", "-r", src, "s3://existing/dir", "--store-config", conf, "--jobmanager",
            "http://127.0.0.1:1"), "--jobmanager http://127.0.0.1:1: no Flink REST API there: connection refused"),
        Arguments.of(List.of("sync", src, "s3://existing/dir", "--store-config", conf, "--jobmanager",
            "http://127.0.0.1:1"), "connection refused"),
        Arguments.of(List.of("cp", "-r", src, "s3://existing/dir", "--store-config", secret.toString()),
            "must not hold secrets: key 's3.token'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badNumbersForAStore")
  void badOptionsForAStoreDestinationWriteNothing(List<String> args, String expected) throws IOException {
    Cli cli = Cli.run(args.toArray(String[]::new));

    assertRejected(cli, expected);
    assertThat(cli.err()).startsWith("skyplane " + args.get(0) + ": error: ").doesNotContain("abc123");
  }
}
