package io.skyplane.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.skyplane.job.testing.Cli;
import io.skyplane.job.transfer.ClusterTarget;
import io.skyplane.job.testing.Clusters;
import io.skyplane.job.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one clear error line, exit code 2, and nothing written. */
class BadInputIT {
  @RegisterExtension static final MiniClusterExtension CLUSTER = Clusters.twoTaskManagers();

  @TempDir Path tmp;
  Path src;
  Path dst;

  @BeforeEach
  void tree() throws IOException {
    src = tmp.resolve("src");
    Trees.text(src.resolve("a.txt"), 1000);
    Trees.random(src.resolve("d/b.bin"), 5000, 1);
    dst = tmp.resolve("dst");
  }

  private void assertRejected(Cli cli, String expected) {
    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
    assertThat(cli.errLines()).as(cli.toString()).hasSize(1);
    assertThat(cli.err()).contains(expected);
    assertThat(dst).doesNotExist();
  }

  @Test
  void missingSource() {
    assertRejected(Cli.run("cp", "-r", tmp.resolve("nope").toString(), dst.toString()),
        "skyplane cp: error: source does not exist: '" + tmp.resolve("nope") + "'");
  }

  @Test
  void destinationInsideSource() {
    dst = src.resolve("d/copy");
    assertRejected(Cli.run("cp", "-r", src.toString(), dst.toString()), "is inside the source");
  }

  @Test
  void sameSourceAndDestination() {
    Path file = src.resolve("a.txt");
    Cli cli = Cli.run("cp", file.toString(), file.toString());
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains("source and destination are the same file");
  }

  @Test
  void unknownScheme() {
    assertRejected(Cli.run("cp", "-r", "ftp://host/dir", dst.toString()), "unknown URI scheme 'ftp'");
  }

  @Test
  void unknownSchemeAndHadoopSchemeWithoutTheAdapter() {
    assertRejected(Cli.run("cp", "-r", src.toString(), "ftp://host/prefix"), "unknown URI scheme 'ftp'");
  }

  @Test
  void storeConfigWithASecretIsRefusedWithoutEchoingIt() throws IOException {
    Path conf = tmp.resolve("stores.properties");
    Files.writeString(conf, "s3.endpoint=http://127.0.0.1:1\ns3.secret-access-key=hunter2\n");
    Cli result = Cli.run("cp", "-r", src.toString(), "s3://bucket/prefix", "--store-config", conf.toString());
    assertRejected(result, "must not hold secrets: key 's3.secret-access-key'");
    assertThat(result.toString()).doesNotContain("hunter2");
  }

  @Test
  void unreachableStoreFailsBeforeAnythingIsWritten() throws IOException {
    Path conf = tmp.resolve("stores.properties");
    Files.writeString(conf, "s3.endpoint=http://127.0.0.1:1\ns3.path-style=true\ns3.region=us-east-1\n");
    assertRejected(Cli.run("cp", "-r", src.toString(), "s3://bucket/prefix", "--store-config", conf.toString()),
        "s3://bucket/prefix");
  }

  @Test
  void danglingLinkIsUnreadable() throws IOException {
    Files.createSymbolicLink(src.resolve("d/broken"), tmp.resolve("missing-target"));
    assertRejected(Cli.run("cp", "-r", src.toString(), dst.toString()),
        "cannot read " + src.resolve("d/broken"));
  }

  @Test
  void fileWithoutReadPermission() throws IOException {
    assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file");
    Path locked = src.resolve("locked");
    Files.writeString(locked, "secret");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    assertRejected(Cli.run("cp", "-r", src.toString(), dst.toString()), "cannot read " + locked);
  }

  @Test
  void chunkSizeMustBeInRange() {
    assertRejected(Cli.run("cp", "-r", src.toString(), dst.toString(), "--chunk-size", "0"),
        "--chunk-size must be between 64KiB and 1GiB, got '0'");
    assertRejected(Cli.run("cp", "-r", src.toString(), dst.toString(), "--chunk-size", "-5MiB"),
        "--chunk-size must not be negative, got '-5MiB'");
  }

  @Test
  void aFlinkRestApiPassesTheProbe(@InjectClusterClient ClusterClient<?> client) {
    ClusterTarget.checkRestApi(client.getWebInterfaceURL(), Duration.ofSeconds(5)); // throws if not
  }

  @Test
  void directoryNeedsRecursive() {
    assertRejected(Cli.run("cp", src.toString(), dst.toString()), "use -r to copy a tree");
  }

  @Test
  void unknownCompression() {
    assertRejected(Cli.run("cp", "-r", src.toString(), dst.toString(), "--compression", "lz5"),
        "unknown compression 'lz5'");
  }
}
