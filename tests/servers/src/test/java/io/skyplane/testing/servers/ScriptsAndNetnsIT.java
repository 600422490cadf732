package io.skyplane.testing.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start/stop scripts (several instances at once) and servers inside a network namespace. */
class ScriptsAndNetnsIT {
  private static final Path MODULE = Path.of(System.getProperty("skyplane.servers.dir", ""))
      .toAbsolutePath();

  @TempDir Path tmp;

  @Test
  void scriptsStartSeveralInstancesAndStopThem() throws Exception {
    Path one = tmp.resolve("one");
    Path two = tmp.resolve("two");
    String out = run(MODULE.resolve("start").toString(), "--state", one.toString());
    run(MODULE.resolve("start").toString(), "gcs", "--state", two.toString());
    Map<String, String> envOne = readEnv(one.resolve("env"));
    Map<String, String> envTwo = readEnv(two.resolve("env"));
    assertThat(out).contains("S3_ENDPOINT=", "AZURE_BLOB_ENDPOINT=", "GCS_ENDPOINT=");
    assertThat(envOne).containsKeys("S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_REGION",
        "AZURE_BLOB_ENDPOINT", "AZURE_CONNECTION_STRING", "GCS_ENDPOINT");
    assertThat(envTwo).containsOnlyKeys("GCS_ENDPOINT", "GCS_PROJECT");
    assertThat(envTwo.get("GCS_ENDPOINT")).isNotEqualTo(envOne.get("GCS_ENDPOINT"));
    List<Long> pids = new ArrayList<>();
    for (Path state : List.of(one, two)) {
      Files.readAllLines(state.resolve("pids")).forEach(l -> pids.add(Long.parseLong(l.trim())));
    }
    assertThat(pids).hasSize(4).allMatch(p -> ProcessHandle.of(p).isPresent());
    assertThat(httpStatus(envOne.get("GCS_ENDPOINT"), "/storage/v1/b")).isEqualTo(200);
    assertThat(httpStatus(envTwo.get("GCS_ENDPOINT"), "/storage/v1/b")).isEqualTo(200);
    assertThat(httpStatus(envOne.get("S3_ENDPOINT"), "/")).isEqualTo(403); // SigV4 required

    run(MODULE.resolve("stop").toString(), "--state", one.toString());
    run(MODULE.resolve("stop").toString(), "--state", two.toString());
    assertThat(pids).noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));
    assertThat(one).doesNotExist();
    assertThat(two).doesNotExist();
  }

  @Test
  void serversRunInsideANetworkNamespace() throws Exception {
    String ns = "skyplane-it-" + ThreadLocalRandom.current().nextInt(1_000_000);
    boolean added;
    try {
      Process add = new ProcessBuilder("ip", "netns", "add", ns).redirectErrorStream(true).start();
      added = add.waitFor(10, TimeUnit.SECONDS) && add.exitValue() == 0;
    } catch (IOException e) {
      added = false; // no `ip` command
    }
    assumeThat(added).as("needs root and `ip netns` (iproute2)").isTrue();
    try {
      run("ip", "-n", ns, "link", "set", "lo", "up");
      ServerOptions inNs = ServerOptions.loopback().withNetns(ns);
      try (RunningServer<GcsEndpoint> gcs = LocalServers.gcs(inNs);
          RunningServer<S3Endpoint> s3 = LocalServers.s3(inNs)) {
        int gcsPort = gcs.endpoint().endpoint().getPort();
        assertThat(run("ip", "netns", "exec", ns, "bash", "-c",
            "exec 3<>/dev/tcp/127.0.0.1/" + gcsPort
                + "; printf 'GET /storage/v1/b HTTP/1.0\\r\\n\\r\\n' >&3; head -1 <&3"))
            .startsWith("HTTP/1.1 200");
        assertThat(run("ip", "netns", "exec", ns, "bash", "-c",
            "exec 3<>/dev/tcp/127.0.0.1/" + s3.endpoint().endpoint().getPort()
                + "; printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3; head -1 <&3"))
            .startsWith("HTTP/1.1 403");
        // Not reachable from this (root) namespace: it listens on the namespace's own loopback.
        assertThat(connects(gcsPort)).isFalse();
      }
    } finally {
      run("ip", "netns", "del", ns);
    }
  }

  private static boolean connects(int port) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (ConnectException e) {
      return false;
    }
  }

  private static int httpStatus(String endpoint, String path) throws Exception {
    java.net.HttpURLConnection c = (java.net.HttpURLConnection)
        java.net.URI.create(endpoint + path).toURL().openConnection();
    try {
      return c.getResponseCode();
    } finally {
      c.disconnect();
    }
  }

  private static Map<String, String> readEnv(Path file) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1).replace("'", ""));
      }
    }
    return env;
  }

  private String run(String... cmd) throws Exception {
    Path log = Files.createTempFile(tmp, "cmd-", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("%s finished", String.join(" ", cmd)).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as("%s exit code; output:%n%s", String.join(" ", cmd), out).isZero();
    return out;
  }
}
