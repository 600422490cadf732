package io.skyplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import io.skyplane.testing.servers.S3Endpoint;
import io.skyplane.testing.servers.S3ServerExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

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

  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();

  @TempDir Path tmp;

  @Test
  void flinkRunCopiesTree() throws Exception {
    Path src = Tree.build(tmp.resolve("src"));
    Path dst = tmp.resolve("dst");

    Proc proc = flinkRun(Map.of(), "cp", "-r", src.toString(), dst.toString(), "-p", "2", "--chunk-size", "2MiB", "-q");

    assertThat(proc.exitCode()).as(proc.toString()).isZero();
    assertThat(proc.out()).contains("Copied: 303/303 objects");
    assertThat(Tree.digests(dst)).isEqualTo(Tree.digests(src));
  }

  @Test
  void flinkRunCopiesToAndFromS3WithCredentialsFromTheEnvironmentOnly() throws Exception {
    S3Endpoint s3 = S3.endpoint();
    // The cluster's TaskManagers run in this JVM: their credentials come from the SDK's chain here.
    System.setProperty("aws.accessKeyId", s3.accessKey());
    System.setProperty("aws.secretAccessKey", s3.secretKey());
    try (S3Client admin = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true)
        .region(Region.of(s3.region()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        .build()) {
      admin.createBucket(b -> b.bucket("flink-run"));
      Path stores = tmp.resolve("stores.properties");
      Files.writeString(stores, "s3.endpoint=" + s3.endpoint() + "\ns3.path-style=true\ns3.region=" + s3.region() + "\n");
      Map<String, String> env = Map.of(
          "AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey());
      Path src = Tree.build(tmp.resolve("src"));
      Path back = tmp.resolve("back");

      Proc up = flinkRun(env, "cp", "-r", src.toString(), "s3://flink-run/tree", "--store-config", stores.toString(),
          "-p", "2", "--chunk-size", "5MiB", "-q");
      Proc down = flinkRun(env, "cp", "-r", "s3://flink-run/tree/", back.toString(), "--store-config",
          stores.toString(), "-p", "2", "--chunk-size", "5MiB", "-q");

      assertThat(up.exitCode()).as(up.toString()).isZero();
      assertThat(down.exitCode()).as(down.toString()).isZero();
      assertThat(Tree.digests(back)).isEqualTo(Tree.digests(src));
      assertThat(admin.listMultipartUploads(b -> b.bucket("flink-run")).uploads()).isEmpty();
      assertThat(up.out() + up.err() + down.out() + down.err()).doesNotContain(s3.secretKey());
    }
  }

  private Proc flinkRun(Map<String, String> env, String... args) throws Exception {
    Configuration client = CLUSTER.getClientConfiguration();
    Path conf = Files.createDirectories(tmp.resolve("flink-conf"));
    Files.writeString(conf.resolve("config.yaml"),
        "rest.address: " + client.get(RestOptions.ADDRESS) + "\n"
            + "rest.port: " + client.get(RestOptions.PORT) + "\n"
            + "jobmanager.rpc.address: localhost\n");
    Path lib = Proc.ROOT.resolve("job/target/lib");
    Path jar = Proc.ROOT.resolve("job/target/skyplane-job.jar");
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(List.of(
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "-Djava.io.tmpdir=" + tmp, "-cp", lib + "/*",
        "org.apache.flink.client.cli.CliFrontend", "run", jar.toString()));
    command.addAll(List.of(args));
    Map<String, String> environment = new HashMap<>(env);
    environment.put("FLINK_CONF_DIR", conf.toString());
    return Proc.run(tmp, environment, command);
  }
}
