package io.skyplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's launcher, bin/skyplane, run as its own process on the embedded MiniCluster. */
class LauncherIT {
  @TempDir Path tmp;

  private Proc skyplane(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("bash", Proc.ROOT.resolve("bin/skyplane").toString()));
    command.addAll(List.of(args));
    return Proc.run(tmp, Map.of("SKYPLANE_LOG_DIR", tmp.resolve("logs").toString(),
        "SKYPLANE_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp), command);
  }

  @Test
  void copiesTreeAndWritesReport() throws Exception {
    Path src = Tree.build(tmp.resolve("src"));
    Path dst = tmp.resolve("dst");

    Proc proc = skyplane("cp", "-r", src.toString(), dst.toString(), "--chunk-size", "1MiB",
        "--json", tmp.resolve("report.json").toString());

    assertThat(proc.exitCode()).as(proc.toString()).isZero();
    assertThat(Tree.digests(dst)).isEqualTo(Tree.digests(src));
    assertThat(proc.out()).contains("Copied: 303/303 objects");
    JsonNode report = new ObjectMapper().readTree(tmp.resolve("report.json").toFile());
    assertThat(report.get("status").asText()).isEqualTo("succeeded");
    assertThat(report.get("objectsCommitted").asInt()).isEqualTo(303);
    assertThat(report.get("wireBytes").asLong()).isLessThan(report.get("bytes").asLong());
    // from the launcher's start: at least the job's own start-up, which begins after the listing
    assertThat(report.get("processStartToFirstByteSeconds").asDouble())
        .isGreaterThan(report.get("startupSeconds").asDouble());
  }

  @Test
  void badInputIsOneLineAndExitTwo() throws Exception {
    Proc proc = skyplane("cp", "-r", tmp.resolve("missing").toString(), tmp.resolve("dst").toString());

    assertThat(proc.exitCode()).as(proc.toString()).isEqualTo(2);
    assertThat(proc.errLines()).as(proc.toString()).hasSize(1);
    assertThat(proc.err()).startsWith("skyplane cp: error: source does not exist");
    assertThat(tmp.resolve("dst")).doesNotExist();
  }

  @Test
  void interruptedCopyLeavesNoTemporaryFile() throws Exception {
    Path src = tmp.resolve("src");
    java.nio.file.Files.createDirectories(src);
    byte[] block = new byte[1 << 20];
    new java.util.Random(1).nextBytes(block);
    try (var out = java.nio.file.Files.newOutputStream(src.resolve("big.bin"))) {
      for (int i = 0; i < 1024; i++) {
        block[i] ^= (byte) i; // no two MiB alike
        out.write(block);
      }
    }
    Path dst = tmp.resolve("dst");
    List<String> command = new java.util.ArrayList<>(List.of("bash", Proc.ROOT.resolve("bin/skyplane").toString(),
        "cp", "-r", src.toString(), dst.toString(), "-q", "-p", "1", "--chunk-size", "1MiB"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("out.txt").toFile());
    builder.environment().put("SKYPLANE_LOG_DIR", tmp.resolve("logs").toString());
    Process process = builder.start();
    long deadline = System.currentTimeMillis() + 120_000;
    while (!temporaryFileIn(dst) && process.isAlive() && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertThat(process.isAlive()).as("still copying when interrupted").isTrue();

    process.destroy(); // SIGTERM, as Ctrl-C or a scheduler would
    assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    assertThat(dst.resolve("big.bin")).doesNotExist();
    assertThat(temporaryFileIn(dst)).isFalse();
  }

  private static boolean temporaryFileIn(Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.isDirectory(dir)) {
      return false;
    }
    try (var files = java.nio.file.Files.list(dir)) {
      return files.anyMatch(p -> p.getFileName().toString().contains(".skyplane-"));
    }
  }

  @Test
  void helpDescribesTheCommand() throws Exception {
    Proc proc = skyplane("cp", "--help");

    assertThat(proc.exitCode()).isZero();
    assertThat(proc.out()).contains("--chunk-size", "--compression", "--parallelism", "--json", "-r");
  }
}
