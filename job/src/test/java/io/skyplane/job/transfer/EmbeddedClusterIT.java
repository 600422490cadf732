package io.skyplane.job.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.job.codec.Compression;
import io.skyplane.job.source.SourceObject;
import io.skyplane.job.source.SourceTotals;
import io.skyplane.job.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded cluster of bin/skyplane (no MiniCluster extension here: the runner starts its own),
 * with the RPC system from the jar the build unpacked, started before the run or by it.
 */
class EmbeddedClusterIT {
  private static final Path RPC_JAR = Path.of("target", "rpc", "flink-rpc-akka.jar");

  @TempDir Path tmp;

  @BeforeEach
  void unpackedRpcJar() {
    assertThat(RPC_JAR).as("unpacked by the build (package phase)").isRegularFile();
    System.setProperty(EmbeddedRpc.JAR_PROPERTY, RPC_JAR.toAbsolutePath().toString());
  }

  @AfterEach
  void nothingLeftWaiting() {
    EarlyStart.discard();
    System.clearProperty(EmbeddedRpc.JAR_PROPERTY);
  }

  private TransferSpec spec(Path src, Path dst, int parallelism) {
    return new TransferSpec(String.format("%012x", System.nanoTime() & 0xffffffffffffL), Location.local(src, false, src.toString()),
        Location.local(dst, false, dst.toString()), false, 256 * 1024, 64 * 1024, Compression.DEFAULT, parallelism, "");
  }

  private TransferReport copy(TransferSpec spec) throws IOException {
    Path src = Path.of(spec.source().text());
    Path dst = Path.of(spec.destination().text());
    Files.createDirectories(dst);
    List<SourceObject> objects = TransferRunner.list(spec, null);
    TransferReport report = TransferRunner.run(spec, new ClusterTarget(null, null), src.toString(), dst.toString(),
        SourceTotals.of(objects), null, new Configuration(), p -> {});
    assertThat(report.succeeded()).as(report.toString()).isTrue();
    Trees.assertIdentical(src, dst);
    return report;
  }

  /** The MiniClusters' working directories in the temp directory. */
  private static Set<Path> clusterDirs() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(f -> f.getFileName().toString().startsWith("minicluster_")).collect(Collectors.toSet());
    }
  }

  private Path tree() throws IOException {
    Path src = tmp.resolve("src");
    Trees.random(src.resolve("a/one.bin"), 700_000, 1);
    Trees.random(src.resolve("b/two.bin"), 3, 2);
    Files.createFile(src.resolve("empty"));
    return src;
  }

  @Test
  void runsOnItsOwnClusterAndReportsTheTimeFromTheProcessStartToTheFirstByte() throws IOException {
    assertThat(new ClusterTarget(null, null).startsOwnCluster()).isTrue();
    int before = EmbeddedMiniCluster.started();
    Set<Path> clusterDirs = clusterDirs();

    TransferReport report = copy(spec(tree(), tmp.resolve("dst"), 2));

    assertThat(EmbeddedMiniCluster.started()).isEqualTo(before + 1);
    assertThat(clusterDirs()).as("the cluster removed its working directory before the run returned")
        .isEqualTo(clusterDirs);
    assertThat(report.objectsCommitted()).isEqualTo(3);
    // the process (this test JVM) started before the run, whose start-up ends at the first read
    assertThat(report.processStartToFirstByteSeconds()).isNotNull().isGreaterThan(report.startupSeconds());
  }

  @Test
  void aRunTakesTheClusterPrestartedForItsSettingsAndTheWarmedUpRpcService() throws IOException {
    Path src = tree();
    int before = EmbeddedMiniCluster.started();
    EarlyStart.warmUp();
    EarlyStart.prestart(() -> TransferRunner.configuration(2, null, new Configuration(), true));

    copy(spec(src, tmp.resolve("dst"), 2));

    assertThat(EmbeddedMiniCluster.started()).as("no second cluster").isEqualTo(before + 1);
    assertThat(EarlyStart.idle()).isTrue();
  }

  @Test
  void aClusterPrestartedForOtherSettingsIsClosedAndTheRunStartsItsOwn() throws IOException {
    Path src = tree();
    int before = EmbeddedMiniCluster.started();
    // 2 slots: a job of parallelism 3 (6 slots) would never be scheduled on it
    EarlyStart.prestart(() -> TransferRunner.configuration(1, null, new Configuration(), true));

    copy(spec(src, tmp.resolve("dst"), 3));

    assertThat(EmbeddedMiniCluster.started()).isEqualTo(before + 2);
    assertThat(EarlyStart.idle()).isTrue();
  }

  @Test
  void aPrestartedClusterNoRunTookIsClosed() throws IOException {
    int before = EmbeddedMiniCluster.started();
    EarlyStart.warmUp();
    EarlyStart.prestart(() -> TransferRunner.configuration(2, null, new Configuration(), true));

    EarlyStart.discard();

    assertThat(EarlyStart.idle()).isTrue();
    assertThat(EmbeddedMiniCluster.started()).isEqualTo(before + 1);
    copy(spec(tree(), tmp.resolve("dst"), 2)); // and the next run starts its own
    assertThat(EmbeddedMiniCluster.started()).isEqualTo(before + 2);
  }
}
