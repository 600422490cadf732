package io.skyplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud path of a TaskManager, on this machine: Terraform renders the gateway VMs' cloud-init
 * ({@code deploy/terraform/cloud-init/taskmanager.tftpl}, with the variables the modules pass), the
 * bootstrap it writes is byte for byte {@code deploy/local/bin/taskmanager-bootstrap}, and the
 * rendered {@code start-taskmanager} (the systemd unit's command: pinned ports, internal SSL)
 * starts a TaskManager that registers with a JobManager using the same SSL settings, under the
 * right region. Only the VM's absolute paths are mapped to temporary ones.
 */
class TaskManagerBootstrapIT {
  private static final String PASSWORD = "it-store-password";

  @TempDir Path tmp;

  @Test
  void renderedCloudInitStartsATaskManagerThatRegistersUnderItsRegion() throws Exception {
    assumeTrue(Proc.onPath("terraform"), "terraform is not installed: cloud-init not rendered");
    assumeTrue(free(6123) && free(6124) && free(6200) && free(6300) && free(6400),
        "the template's pinned ports are taken");
    Path bootstrap = Proc.ROOT.resolve("deploy/local/bin/taskmanager-bootstrap");
    String userData = render(bootstrap);
    assertThat(userData).startsWith("#cloud-config");

    // the bootstrap the VM gets is the repository's, byte for byte
    String written = new ObjectMapper().readValue(content(userData, "/opt/skyplane/bin/taskmanager-bootstrap"), String.class);
    assertThat(written).isEqualTo(Files.readString(bootstrap));

    // internal SSL material, as node-setup makes it from the certificate and key
    Path ssl = Files.createDirectories(tmp.resolve("ssl"));
    Proc keytool = Proc.run(tmp, Map.of(), List.of("keytool", "-genkeypair", "-alias", "flink.internal", "-keyalg", "RSA",
        "-keysize", "2048", "-dname", "CN=flink.internal", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", ssl.resolve("internal.keystore").toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
    assertThat(keytool.exitCode()).as(keytool.toString()).isZero();
    Files.copy(ssl.resolve("internal.keystore"), ssl.resolve("internal.truststore"));

    Path state = tmp.resolve("state");
    int restPort = Proc.freePort();
    List<String> jobmanager = new ArrayList<>(List.of(LocalCluster.BIN.resolve("jobmanager").toString(), "start",
        "--state", state.toString(), "--rpc-port", "6123", "--rest-port", String.valueOf(restPort)));
    for (String kv : List.of("security.ssl.internal.enabled=true",
        "security.ssl.internal.keystore=" + ssl.resolve("internal.keystore"),
        "security.ssl.internal.keystore-password=" + PASSWORD, "security.ssl.internal.key-password=" + PASSWORD,
        "security.ssl.internal.truststore=" + ssl.resolve("internal.truststore"),
        "security.ssl.internal.truststore-password=" + PASSWORD, "security.ssl.protocol=TLSv1.2",
        "security.ssl.algorithms=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "blob.server.port=6124")) {
      jobmanager.addAll(List.of("--conf", kv));
    }
    Proc jm = Proc.run(Proc.ROOT, Map.of(), jobmanager);
    Process tm = null;
    try {
      assertThat(jm.exitCode()).as(jm.toString()).isZero();
      // the systemd unit's command, with the VM's paths mapped to this test's
      Path script = tmp.resolve("start-taskmanager");
      Path tmState = Files.createDirectories(tmp.resolve("tm-state"));
      Files.writeString(script, literalBlock(userData, "/opt/skyplane/bin/start-taskmanager")
          .replace("/opt/skyplane/bin/taskmanager-bootstrap", bootstrap.toString())
          .replace("/opt/flink/lib", Proc.ROOT.resolve("deploy/local/target/flink/lib").toString())
          .replace("/var/lib/skyplane", tmState.toString())
          .replace("/etc/skyplane/ssl", ssl.toString()));
      ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "0")
          .redirectErrorStream(true).redirectOutput(tmp.resolve("tm.out").toFile());
      builder.environment().putAll(Map.of("SKYPLANE_SLOTS", "2", "SKYPLANE_TM_MEMORY", "1024m",
          "SKYPLANE_STORE_PASSWORD", PASSWORD));
      tm = builder.start();

      JsonNode registered = awaitTaskManager(restPort, "aws-us-east-1-tm3", tm);
      assertThat(registered.path("totalResource").path("extendedResources").path("region-aws-us-east-1").asLong())
          .isEqualTo(1000);
      String config = Files.readString(tmState.resolve("tm-aws-us-east-1-3/conf/config.yaml"));
      assertThat(config).contains("taskmanager.rpc.port: 6200").contains("taskmanager.data.port: 6300")
          .contains("security.ssl.internal.enabled: true").contains("taskmanager.bind-host: 0.0.0.0");
    } finally {
      if (tm != null) {
        tm.descendants().forEach(ProcessHandle::destroyForcibly);
        tm.destroyForcibly();
        tm.waitFor(30, TimeUnit.SECONDS);
      }
      Proc.run(Proc.ROOT, Map.of(), List.of(LocalCluster.BIN.resolve("jobmanager").toString(), "stop",
          "--state", state.toString()));
    }
    assertThat(LocalCluster.javaProcessesOf(tmp)).isEmpty();
  }

  /** Renders the template with the variables the region modules pass, through Terraform itself. */
  private String render(Path bootstrap) throws Exception {
    Path module = Files.createDirectories(tmp.resolve("render"));
    Path terraform = Proc.ROOT.resolve("deploy/terraform");
    Files.writeString(module.resolve("main.tf"), """
        output "user_data" {
          value = templatefile("%s", {
            node = {
              transfer_id   = "skyplane-it"
              bootstrap     = file("%s")
              log4j         = file("%s")
              tls_cert_pem  = "certificate of the test"
              tls_key_pem   = "key of the test"
              jobmanager_ip = "127.0.0.1"
            }
            setup        = "#!/bin/sh\\n"
            region       = "aws:us-east-1"
            first_index  = 3
            taskmanagers = 1
            public_ip    = "127.0.0.1"
          })
        }
        """.formatted(terraform.resolve("cloud-init/taskmanager.tftpl"), bootstrap,
            Proc.ROOT.resolve("deploy/local/conf/log4j.properties")));
    Map<String, String> env = Map.of("TF_DATA_DIR", module.resolve(".terraform").toString(), "TF_IN_AUTOMATION", "1");
    for (List<String> command : List.of(
        List.of("terraform", "-chdir=" + module, "init", "-input=false"),
        List.of("terraform", "-chdir=" + module, "apply", "-input=false", "-auto-approve"))) {
      Proc step = Proc.run(module, env, command);
      assertThat(step.exitCode()).as(step.toString()).isZero();
    }
    Proc output = Proc.run(module, env, List.of("terraform", "-chdir=" + module, "output", "-raw", "user_data"));
    assertThat(output.exitCode()).as(output.toString()).isZero();
    return output.out();
  }

  /** The one-line {@code content:} of a write_files entry. */
  private static String content(String userData, String path) {
    String[] lines = userData.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].trim().equals("- path: " + path)) {
        for (int j = i + 1; j < lines.length && !lines[j].trim().startsWith("- path:"); j++) {
          if (lines[j].trim().startsWith("content: ")) {
            return lines[j].trim().substring("content: ".length());
          }
        }
      }
    }
    throw new AssertionError("no content for " + path);
  }

  /** The {@code content: |} block of a write_files entry, de-indented. */
  private static String literalBlock(String userData, String path) {
    String[] lines = userData.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].trim().equals("- path: " + path)) {
        int j = i + 1;
        while (!lines[j].trim().equals("content: |")) {
          j++;
        }
        StringBuilder block = new StringBuilder();
        int indent = -1;
        for (j++; j < lines.length; j++) {
          String line = lines[j];
          if (!line.isBlank()) {
            int leading = line.length() - line.stripLeading().length();
            if (indent < 0) {
              indent = leading;
            }
            if (leading < indent) {
              break;
            }
            block.append(line.substring(indent));
          }
          block.append('\n');
        }
        return block.toString();
      }
    }
    throw new AssertionError("no block for " + path);
  }

  private static JsonNode awaitTaskManager(int restPort, String id, Process tm) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    long deadline = System.currentTimeMillis() + 90_000;
    String last = "";
    while (System.currentTimeMillis() < deadline && tm.isAlive()) {
      try {
        last = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + restPort + "/taskmanagers")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        for (JsonNode node : new ObjectMapper().readTree(last).path("taskmanagers")) {
          // listed as soon as it registers; its resources may follow a moment later
          if (node.path("id").asText().equals(id) && node.path("totalResource").path("extendedResources").size() > 0) {
            return node;
          }
        }
      } catch (java.io.IOException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("TaskManager " + id + " did not register (alive: " + tm.isAlive() + "): " + last);
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }


}
