package io.skyplane.testing.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.testing.faults.FaultAdmin;
import io.skyplane.testing.faults.FaultKind;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tests/servers/start ... --faults SPEC}: a proxy per server, both endpoints printed. */
class FaultProxyScriptsIT {
  private static final Path MODULE = Path.of(System.getProperty("skyplane.servers.dir", ""))
      .toAbsolutePath();

  @TempDir Path tmp;

  @Test
  void startPutsAProxyInFrontOfEachServerAndStopEndsThemAll() throws Exception {
    Path state = tmp.resolve("faulty");
    String out = run(MODULE.resolve("start").toString(), "s3", "azure", "gcs", "--state",
        state.toString(), "--faults", "down=503");
    Map<String, String> env = readEnv(state.resolve("env"));
    assertThat(out).contains("S3_ENDPOINT=", "S3_DIRECT_ENDPOINT=", "FAULT_ADMIN_S3=");
    assertThat(env).containsKeys("S3_ENDPOINT", "S3_DIRECT_ENDPOINT", "S3_ACCESS_KEY",
        "FAULT_ADMIN_S3", "AZURE_BLOB_ENDPOINT", "AZURE_BLOB_DIRECT_ENDPOINT",
        "AZURE_CONNECTION_STRING", "AZURE_DIRECT_CONNECTION_STRING", "FAULT_ADMIN_AZURE",
        "GCS_ENDPOINT", "GCS_DIRECT_ENDPOINT", "GCS_PROJECT", "FAULT_ADMIN_GCS");
    assertThat(env.get("AZURE_BLOB_ENDPOINT")).endsWith("/" + AzureEndpoint.DEV_ACCOUNT)
        .isNotEqualTo(env.get("AZURE_BLOB_DIRECT_ENDPOINT"));
    assertThat(env.get("AZURE_CONNECTION_STRING"))
        .contains("BlobEndpoint=" + env.get("AZURE_BLOB_ENDPOINT") + ";");
    assertThat(env.get("AZURE_DIRECT_CONNECTION_STRING"))
        .contains("BlobEndpoint=" + env.get("AZURE_BLOB_DIRECT_ENDPOINT") + ";");
    List<Long> pids = new ArrayList<>();
    Files.readAllLines(state.resolve("pids")).forEach(l -> pids.add(Long.parseLong(l.trim())));
    assertThat(pids).hasSize(6).allMatch(p -> ProcessHandle.of(p).isPresent());

    assertThat(status(env.get("GCS_ENDPOINT") + "/storage/v1/b")).isEqualTo(503);
    assertThat(status(env.get("GCS_DIRECT_ENDPOINT") + "/storage/v1/b")).isEqualTo(200);
    assertThat(status(env.get("S3_ENDPOINT") + "/")).isEqualTo(503);
    assertThat(status(env.get("S3_DIRECT_ENDPOINT") + "/")).isEqualTo(403); // SigV4 required
    assertThat(status(env.get("AZURE_BLOB_ENDPOINT") + "?comp=list")).isEqualTo(503);
    FaultAdmin gcsAdmin = new FaultAdmin(URI.create(env.get("FAULT_ADMIN_GCS")));
    assertThat(gcsAdmin.stats().count(FaultKind.DOWN)).isEqualTo(1);
    gcsAdmin.configure("none");
    assertThat(status(env.get("GCS_ENDPOINT") + "/storage/v1/b")).isEqualTo(200);
    assertThat(Files.readString(state.resolve("faults-gcs.log"))).contains("FAULT_PROXY=",
        "GET /storage/v1/b -> down(503)", "GET /storage/v1/b -> pass");

    run(MODULE.resolve("stop").toString(), "--state", state.toString());
    assertThat(pids).noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));
    assertThat(state).doesNotExist();
  }

  private static int status(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
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
