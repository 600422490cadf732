package io.skyplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flink run skyplane-job.jar cp ...} against a running Flink cluster: the cluster provides the
 * Flink classes, the client is Flink's own CliFrontend in a separate process, the job jar is the
 * artifact users get.
 */
class FlinkRunIT {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder()
          .setNumberTaskManagers(2)
          .setNumberSlotsPerTaskManager(2)
          .build());

  @TempDir Path tmp;

  @Test
  void flinkRunCopiesTree() throws Exception {
    Configuration client = CLUSTER.getClientConfiguration();
    Path conf = Files.createDirectories(tmp.resolve("flink-conf"));
    Files.writeString(conf.resolve("config.yaml"),
        "rest.address: " + client.get(RestOptions.ADDRESS) + "\n"
            + "rest.port: " + client.get(RestOptions.PORT) + "\n"
            + "jobmanager.rpc.address: localhost\n");
    Path src = Tree.build(tmp.resolve("src"));
    Path dst = tmp.resolve("dst");
    Path lib = Proc.ROOT.resolve("job/target/lib");
    Path jar = Proc.ROOT.resolve("job/target/skyplane-job.jar");
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(List.of(
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "-Djava.io.tmpdir=" + tmp, "-cp", lib + "/*",
        "org.apache.flink.client.cli.CliFrontend", "run", jar.toString(),
        "cp", "-r", src.toString(), dst.toString(), "-p", "2", "--chunk-size", "2MiB", "-q"));

    Proc proc = Proc.run(tmp, Map.of("FLINK_CONF_DIR", conf.toString()), command);

    assertThat(proc.exitCode()).as(proc.toString()).isZero();
    assertThat(proc.out()).contains("Copied: 303/303 objects");
    assertThat(Tree.digests(dst)).isEqualTo(Tree.digests(src));
  }
}
