package io.skyplane.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.job.testing.Cli;
import io.skyplane.job.testing.Clusters;
import io.skyplane.job.testing.StoreAdmin;
import io.skyplane.job.testing.StoreKind;
import io.skyplane.job.testing.Trees;
import io.skyplane.testing.servers.GcsServerExtension;
import io.skyplane.testing.servers.S3ServerExtension;
import io.skyplane.testing.servers.ServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bad input with object-store locations: exit 2, one line on stderr naming the problem, nothing written. */
class StoreBadInputIT {
  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();
  @RegisterExtension
  static final GcsServerExtension GCS = new GcsServerExtension(ServerOptions.loopback().withHeap("256m"));
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
}
