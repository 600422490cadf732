package io.skyplane.testing.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * rclone (Debian's 1.60, GCS backend, anonymous, custom endpoint) against the GCS server: copy up
 * (multipart and resumable uploads), copy down, then {@code rclone check --download}.
 */
class RcloneGcsIT {
  @RegisterExtension static final GcsServerExtension GCS = new GcsServerExtension();

  @TempDir Path tmp;

  @Test
  void copiesUpAndDownWithNoDifferences() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.createDirectories(src.resolve("a/b"));
    Files.writeString(src.resolve("a/small.txt"), "small\n");
    Files.writeString(src.resolve("a/b/odd name+%.txt"), "odd\n");
    Files.write(src.resolve("empty"), new byte[0]);
    Files.write(src.resolve("big.bin"), GcsJavaClientIT.random(20_000_000, 6));
    Path conf = tmp.resolve("rclone.conf");
    Files.writeString(conf, String.join("\n",
        "[gcs]",
        "type = google cloud storage",
        "anonymous = true",
        "project_number = " + GCS.endpoint().projectId(),
        "endpoint = " + GCS.endpoint().endpoint() + "/storage/v1/",
        ""));

    rclone(conf, "mkdir", "gcs:rclone");
    rclone(conf, "copy", src.toString(), "gcs:rclone/data");
    Path dst = tmp.resolve("dst");
    rclone(conf, "copy", "gcs:rclone/data", dst.toString());
    String check = rclone(conf, "check", "--download", src.toString(), "gcs:rclone/data");
    assertThat(check).contains("0 differences found").contains("4 matching files");

    for (Path f : files(src)) {
      assertThat(dst.resolve(src.relativize(f))).hasSameBinaryContentAs(f);
    }
    assertThat(Files.readString(GCS.server().log()))
        .contains("uploadType=resumable", "uploadType=multipart");
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  /** Runs rclone (AWS_CA_BUNDLE unset), fails on a non-zero exit, returns its output. */
  private String rclone(Path conf, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("rclone", "--config", conf.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.remove("AWS_CA_BUNDLE");
    Path out = Files.createTempFile(tmp, "rclone-", ".log");
    Process p = pb.redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("rclone %s finished", args[0]).isTrue();
    String log = Files.readString(out);
    assertThat(p.exitValue()).as("rclone %s exit code; output:%n%s", String.join(" ", args), log)
        .isZero();
    return log;
  }
}
