package io.skyplane.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bucket-scale listing, bounded: {@value #DEFAULT_FILES} one-byte files (100 folders) copied by
 * bin/skyplane (the embedded run: client, JobManager and TaskManager in one JVM) with its heap
 * capped at {@value #HEAP}. Before the listing was streamed, that JVM held the source's listing
 * twice (the client's and the enumerator's), every split ever assigned (Flink's assignment
 * tracker) and a metric group per split, and ran out of heap at this size. Every file must arrive
 * with the same bytes (a SHA-256 over every file's relative path and content, both sides), exit 0.
 * {@code -Dskyplane.it.files=N} changes the count.
 */
class ManySmallFilesIT {
  static final int DEFAULT_FILES = 100_000;
  static final String HEAP = "96m";
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path tmp;

  @Test
  void copiesOneHundredThousandTinyFilesWithASmallHeap() throws Exception {
    int files = Integer.getInteger("skyplane.it.files", DEFAULT_FILES);
    Path src = tmp.resolve("src");
    Path dst = tmp.resolve("dst");
    for (int d = 0; d < 100; d++) {
      Files.createDirectories(src.resolve(String.format("d%02d", d)));
    }
    byte[] one = new byte[1];
    for (int i = 0; i < files; i++) {
      one[0] = (byte) (i * 31 + 7);
      Files.write(src.resolve(String.format("d%02d/f%07d", i % 100, i)), one);
    }
    Path report = tmp.resolve("report.json");
    Path output = tmp.resolve("skyplane.out");
    ProcessBuilder launch = new ProcessBuilder(ROOT.resolve("bin/skyplane").toString(), "cp", "-r",
        src.toString(), dst.toString(), "-q", "--json", report.toString())
        .redirectErrorStream(true).redirectOutput(output.toFile());
    launch.environment().put("SKYPLANE_HEAP", HEAP);
    launch.environment().put("SKYPLANE_LOG_DIR", tmp.resolve("logs").toString());
    Process process = launch.start();
    boolean ended = process.waitFor(240, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor();
    }
    String said = Files.readString(output);
    assertThat(ended).as("ended in time; said:%n%s", said).isTrue();
    assertThat(process.exitValue()).as("exit code; said:%n%s", said).isZero();
    assertThat(said).doesNotContain("OutOfMemoryError");

    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("objects").asLong()).isEqualTo(files);
    assertThat(json.get("objectsCommitted").asLong()).isEqualTo(files);
    assertThat(count(dst)).isEqualTo(files);
    assertThat(digest(dst)).isEqualTo(digest(src));
  }

  private static long count(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).count();
    }
  }

  /** SHA-256 over every file's relative path and bytes, in path order. */
  private static String digest(Path root) throws IOException, NoSuchAlgorithmException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).forEach(all::add);
    }
    all.sort(null);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (Path file : all) {
      sha.update(root.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(Files.readAllBytes(file));
      sha.update((byte) 0);
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
