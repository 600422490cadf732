package io.skyplane.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.job.testing.Cli;
import io.skyplane.job.testing.Clusters;
import io.skyplane.job.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Copies real trees through the whole pipeline on a MiniCluster and compares every byte. */
class CopyIT {
  @RegisterExtension static final MiniClusterExtension CLUSTER = Clusters.twoTaskManagers();

  private static final int CHUNK = 256 * 1024;

  @TempDir Path tmp;

  @Test
  void copiesTreeWithEdgeCasesAndThousandsOfSmallFiles() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.createFile(src.resolve("empty.bin"));
    Trees.random(src.resolve("exactly-one-chunk.bin"), CHUNK, 1);
    Trees.random(src.resolve("one-byte-over.bin"), CHUNK + 1, 2);
    Trees.random(src.resolve("deep/er/still/big.bin"), 5L * CHUNK + 123, 3);
    Trees.text(src.resolve("deep/text.log"), 3L * CHUNK + 17);
    Trees.random(src.resolve("one-byte"), 1, 4);
    Random random = new Random(5);
    for (int i = 0; i < 2000; i++) {
      Trees.random(src.resolve("small/d" + (i % 20) + "/f" + i), 1 + random.nextInt(8192), i);
    }
    Path dst = tmp.resolve("dst");
    Path report = tmp.resolve("report.json");

    Cli cli = Cli.run("cp", "-r", src.toString(), dst.toString(), "--chunk-size", "256KiB",
        "--frame-size", "64KiB", "-p", "2", "-q", "--json", report.toString());

    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    Trees.assertIdentical(src, dst);
    Trees.assertNoTemporaryFiles(dst);
    // modification times are kept (to the millisecond)
    assertThat(Files.getLastModifiedTime(dst.resolve("deep/text.log")).toMillis())
        .isEqualTo(Files.getLastModifiedTime(src.resolve("deep/text.log")).toMillis());
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("status").asText()).isEqualTo("succeeded");
    assertThat(json.get("objects").asLong()).isEqualTo(2006);
    assertThat(json.get("objectsCommitted").asLong()).isEqualTo(2006);
    long bytes = Trees.digests(src).keySet().stream().mapToLong(k -> src.resolve(k).toFile().length()).sum();
    assertThat(json.get("bytes").asLong()).isEqualTo(bytes);
    // the compressible log makes the wire smaller than the data
    assertThat(json.get("wireBytes").asLong()).isLessThan(bytes);
    assertThat(json.get("failures")).isEmpty();
    assertThat(cli.out()).contains("Copied: 2006/2006 objects");
  }

  @Test
  void copiesWithoutCompression() throws IOException {
    Path src = tmp.resolve("src");
    Trees.text(src.resolve("a.txt"), 3L * CHUNK);
    Trees.random(src.resolve("b.bin"), 2L * CHUNK + 9, 9);
    Path dst = tmp.resolve("out");

    Cli cli = Cli.run("cp", "-r", src.toString(), dst.toString(), "--chunk-size", "256KiB",
        "--compression", "none", "-q", "--json", "-");

    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    Trees.assertIdentical(src, dst);
    JsonNode json = new ObjectMapper().readTree(cli.out().substring(cli.out().indexOf('{')));
    assertThat(json.get("wireBytes").asLong()).isEqualTo(json.get("bytes").asLong());
    assertThat(json.at("/settings/compression").asText()).isEqualTo("none");
  }

  @Test
  void copiesSingleFileToNameOrIntoDirectory() throws IOException {
    Path file = Trees.random(tmp.resolve("in/data.bin"), 3L * CHUNK + 5, 11);
    Path named = tmp.resolve("out/renamed.bin");
    Files.createDirectories(tmp.resolve("into"));

    Cli toName = Cli.run("cp", file.toString(), named.toString(), "--chunk-size", "256KiB", "-q");
    Cli intoDir = Cli.run("cp", file.toString(), tmp.resolve("into").toString(), "-q");

    assertThat(toName.exitCode()).as(toName.toString()).isZero();
    assertThat(intoDir.exitCode()).as(intoDir.toString()).isZero();
    assertThat(Trees.sha256(named)).isEqualTo(Trees.sha256(file));
    assertThat(Trees.sha256(tmp.resolve("into/data.bin"))).isEqualTo(Trees.sha256(file));
    Trees.assertNoTemporaryFiles(tmp.resolve("out"));
  }

  @Test
  void emptySourceTreeCopiesNothingAndSucceeds() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("empty-src"));
    Path dst = tmp.resolve("empty-dst");

    Cli cli = Cli.run("cp", "-r", src.toString(), dst.toString(), "-q");

    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    assertThat(dst).isEmptyDirectory();
    assertThat(cli.out()).contains("0/0 objects");
  }
}
