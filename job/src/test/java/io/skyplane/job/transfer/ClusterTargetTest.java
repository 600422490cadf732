package io.skyplane.job.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether a remote cluster has the client's job jar installed: decided by the SHA-256 its
 * JobManager's configuration names ({@code GET /jobmanager/config}, answered here by a small HTTP
 * server with the body Flink's REST API gives), compared with the jar's own.
 */
class ClusterTargetTest {
  @TempDir Path dir;
  private HttpServer server;
  private final AtomicReference<String> config = new AtomicReference<>("[]");
  private final AtomicReference<Integer> status = new AtomicReference<>(200);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/jobmanager/config", exchange -> {
      byte[] body = config.get().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status.get(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI rest() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Test
  void theSameJarIsInstalledAnotherOneOrNoneIsNot() throws Exception {
    Path jar = Files.write(dir.resolve("job.jar"), "the job's classes".getBytes(StandardCharsets.UTF_8));
    String sha = ClusterTarget.sha256(jar);
    ClusterTarget target = new ClusterTarget(rest(), jar);

    config.set(entries("rest.port", "8081", ClusterTarget.JOB_JAR_SHA256, sha));
    assertThat(target.jarInstalled()).isTrue();

    config.set(entries(ClusterTarget.JOB_JAR_SHA256, sha.replace(sha.charAt(0), sha.charAt(0) == 'a' ? 'b' : 'a')));
    assertThat(target.jarInstalled()).as("another jar is installed").isFalse();

    config.set(entries("rest.port", "8081"));
    assertThat(target.jarInstalled()).as("no jar is installed").isFalse();

    config.set(entries(ClusterTarget.JOB_JAR_SHA256, "not-a-digest"));
    assertThat(target.jarInstalled()).isFalse();

    config.set(entries(ClusterTarget.JOB_JAR_SHA256, sha));
    status.set(500);
    assertThat(target.jarInstalled()).as("the check cannot be made: upload").isFalse();
  }

  @Test
  void noAnswerMeansUpload() throws Exception {
    Path jar = Files.write(dir.resolve("job.jar"), new byte[] {1, 2, 3});
    server.stop(0);
    assertThat(ClusterTarget.installedJarSha256(rest(), Duration.ofSeconds(2))).isNull();
    assertThat(new ClusterTarget(rest(), jar).jarInstalled()).isFalse();
  }

  @Test
  void sha256IsTheFilesDigest() throws Exception {
    Path file = Files.write(dir.resolve("abc"), "abc".getBytes(StandardCharsets.UTF_8));
    assertThat(ClusterTarget.sha256(file))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  private static String entries(String... keyValues) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < keyValues.length; i += 2) {
      json.append(i == 0 ? "" : ",").append("{\"key\":\"").append(keyValues[i])
          .append("\",\"value\":\"").append(keyValues[i + 1]).append("\"}");
    }
    return json.append("]").toString();
  }
}
