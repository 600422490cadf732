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
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A chunk damaged in transit fails its object loudly; the object is never written. */
class CorruptionIT {
  @RegisterExtension static final MiniClusterExtension CLUSTER = Clusters.twoTaskManagers();

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"zstd:1", "none"})
  void damagedChunkFailsItsObjectAndNothingElse(String compression) throws IOException {
    Path src = tmp.resolve("src");
    Trees.text(src.resolve("victim.log"), 4L << 20);
    Trees.random(src.resolve("bystander.bin"), 3L << 20, 2);
    Trees.text(src.resolve("sub/other.txt"), 100_000);
    Path dst = tmp.resolve("dst");

    Cli cli = Cli.run("cp", "-r", src.toString(), dst.toString(), "--chunk-size", "1MiB",
        "--compression", compression, "-q", "--json", tmp.resolve("r.json").toString(),
        "--test-corrupt-chunk", "victim.log#2");

    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(1);
    assertThat(cli.err()).contains("failed: victim.log: chunk 2 of victim.log");
    assertThat(dst.resolve("victim.log")).doesNotExist();
    assertThat(Trees.sha256(dst.resolve("bystander.bin"))).isEqualTo(Trees.sha256(src.resolve("bystander.bin")));
    assertThat(Trees.sha256(dst.resolve("sub/other.txt"))).isEqualTo(Trees.sha256(src.resolve("sub/other.txt")));
    Trees.assertNoTemporaryFiles(dst);
    JsonNode json = new ObjectMapper().readTree(tmp.resolve("r.json").toFile());
    assertThat(json.get("status").asText()).isEqualTo("failed");
    assertThat(json.get("objectsFailed").asInt()).isEqualTo(1);
    assertThat(json.get("objectsCommitted").asInt()).isEqualTo(2);
    assertThat(json.at("/failures/0/key").asText()).isEqualTo("victim.log");
    assertThat(Files.list(dst).count()).isEqualTo(2);
  }
}
