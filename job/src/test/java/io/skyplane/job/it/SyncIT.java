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
import java.nio.file.attribute.FileTime;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** skyplane sync: copies only what differs, re-runs copy nothing, deletes only when asked and safe. */
class SyncIT {
  @RegisterExtension static final MiniClusterExtension CLUSTER = Clusters.twoTaskManagers();

  @TempDir Path tmp;
  Path src;
  Path dst;

  @BeforeEach
  void tree() throws IOException {
    src = tmp.resolve("src");
    Trees.text(src.resolve("a.log"), 300_000);
    Trees.random(src.resolve("d/b.bin"), 700_000, 1);
    Trees.random(src.resolve("d/e/c.bin"), 5_000, 2);
    Files.createFile(src.resolve("empty"));
    dst = tmp.resolve("dst");
  }

  private JsonNode sync(String... extra) throws IOException {
    String[] args = new String[extra.length + 7];
    System.arraycopy(new String[] {"sync", src.toString(), dst.toString(), "-q", "--chunk-size", "256KiB",
        "--json"}, 0, args, 0, 7);
    Path report = tmp.resolve("report-" + System.nanoTime() + ".json");
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[7] = report.toString();
    System.arraycopy(extra, 0, all, 8, extra.length);
    Cli cli = Cli.run(all);
    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    return new ObjectMapper().readTree(report.toFile());
  }

  @Test
  void firstSyncCopiesAllAndASecondCopiesNothing() throws IOException {
    JsonNode first = sync();
    Trees.assertIdentical(src, dst);
    assertThat(first.get("toCopy").asInt()).isEqualTo(4);

    JsonNode second = sync();

    assertThat(second.get("toCopy").asInt()).isZero();
    assertThat(second.get("unchanged").asInt()).isEqualTo(4);
    assertThat(second.get("transfer").isNull()).isTrue();
  }

  @Test
  void copiesOnlyChangedObjects() throws IOException {
    sync();
    Trees.text(src.resolve("a.log"), 300_001); // size differs
    Path c = src.resolve("d/e/c.bin");
    Trees.random(c, 5_000, 99); // same size, new content and time
    Files.setLastModifiedTime(c, FileTime.fromMillis(Files.getLastModifiedTime(c).toMillis() + 5_000));

    JsonNode report = sync();

    assertThat(report.get("toCopy").asInt()).isEqualTo(2);
    assertThat(report.get("unchanged").asInt()).isEqualTo(2);
    assertThat(report.at("/transfer/objectsCommitted").asInt()).isEqualTo(2);
    Trees.assertIdentical(src, dst);
  }

  @Test
  void aSameSizeEditWithItsTimePutBackIsSeenOnlyByChecksum() throws IOException {
    sync();
    Path c = src.resolve("d/e/c.bin");
    FileTime time = Files.getLastModifiedTime(c);
    Trees.random(c, 5_000, 99); // same size, new bytes
    Files.setLastModifiedTime(c, time); // and the old time, as a restore or a careful editor leaves it

    JsonNode plain = sync();
    assertThat(plain.get("toCopy").asInt()).as("size and time match: plain sync cannot see it").isZero();
    assertThat(Trees.sha256(dst.resolve("d/e/c.bin"))).isNotEqualTo(Trees.sha256(c));

    Cli dry = Cli.run("sync", src.toString(), dst.toString(), "-q", "--checksum", "--dry-run");
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.out()).contains("copy   d/e/c.bin (content differs (CRC32C ", "Dry run: would copy 1 objects")
        .doesNotContain("copy   a.log");

    JsonNode checked = sync("--checksum");
    assertThat(checked.get("toCopy").asInt()).as(checked.toString()).isEqualTo(1);
    assertThat(checked.get("unchanged").asInt()).isEqualTo(3);
    assertThat(checked.at("/transfer/objectsCommitted").asInt()).isEqualTo(1);
    // files keep no checksum: every same-size pair was read on both sides (the empty file is not read)
    assertThat(checked.get("bytesChecksummed").asLong()).isEqualTo(2 * (300_000 + 700_000 + 5_000));
    Trees.assertIdentical(src, dst);

    assertThat(sync("-c").get("toCopy").asInt()).isZero();
  }

  @Test
  void deletesExtrasOnlyWithDeleteAndWithinTheGuard() throws IOException {
    sync();
    Files.writeString(dst.resolve("extra-1"), "x");
    Files.writeString(dst.resolve("d/extra-2"), "y");

    assertThat(sync().get("deleted")).isEmpty();
    assertThat(dst.resolve("extra-1")).exists();

    Cli guarded = Cli.run("sync", src.toString(), dst.toString(), "-q", "--delete", "--max-delete", "1");
    assertThat(guarded.exitCode()).as(guarded.toString()).isEqualTo(2);
    assertThat(guarded.err()).contains("would delete 2 objects, more than --max-delete 1");
    assertThat(dst.resolve("extra-1")).exists();

    JsonNode report = sync("--delete");
    assertThat(report.get("deleted")).extracting(JsonNode::asText).containsExactlyInAnyOrder("extra-1", "d/extra-2");
    Trees.assertIdentical(src, dst);
  }

  @Test
  void dryRunChangesNothing() throws IOException {
    Cli cli = Cli.run("sync", src.toString(), dst.toString(), "--dry-run");

    assertThat(cli.exitCode()).as(cli.toString()).isZero();
    assertThat(cli.out()).contains("copy   a.log (missing", "Dry run: would copy 4 objects");
    assertThat(dst).doesNotExist();
  }

  @Test
  void aFailedCopyDeletesNothing() throws IOException {
    sync();
    Trees.text(src.resolve("a.log"), 400_000);
    Files.writeString(dst.resolve("extra"), "z");

    Cli cli = Cli.run("sync", src.toString(), dst.toString(), "-q", "--delete", "--chunk-size", "64KiB",
        "--test-corrupt-chunk", "a.log#1");

    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(1);
    assertThat(cli.err()).contains("nothing was deleted");
    assertThat(dst.resolve("extra")).exists();
    Trees.assertNoTemporaryFiles(dst);
  }
}
