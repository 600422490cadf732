package io.skyplane.store.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.job.testing.Cli;
import io.skyplane.job.testing.Clusters;
import io.skyplane.job.testing.Trees;
import io.skyplane.testing.servers.S3Endpoint;
import io.skyplane.testing.servers.S3ServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code skyplane cp} through the Flink job to and from {@code s3a://} (the Hadoop adapter with
 * hadoop-aws) on S3Proxy, configured only by {@code hadoop.*} keys of the store config, checked
 * against the source and by the native S3 client: the objects are there, whole, and nothing of the
 * adapter's part files is left.
 */
class HadoopCopyIT {
  @RegisterExtension static final MiniClusterExtension CLUSTER = Clusters.twoTaskManagers();
  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();

  @TempDir Path tmp;

  @Test
  void copiesToAndFromS3aThroughTheJob() throws Exception {
    S3Endpoint e = S3.endpoint();
    System.setProperty("aws.accessKeyId", e.accessKey());
    System.setProperty("aws.secretAccessKey", e.secretKey());
    try (S3Client admin = S3Client.builder().endpointOverride(e.endpoint()).forcePathStyle(true)
        .region(Region.of(e.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(e.accessKey(), e.secretKey())))
        .build()) {
      admin.createBucket(b -> b.bucket("hadoop-copy"));
      Path src = tmp.resolve("src");
      Files.createDirectories(src);
      Files.createFile(src.resolve("empty"));
      Trees.random(src.resolve("big/multi-part.bin"), (12L << 20) + 3, 1);
      for (int i = 0; i < 25; i++) {
        Trees.random(src.resolve("small/d" + (i % 3) + "/f " + i + "+=ü"), 100 + i * 37, i + 2);
      }
      Path conf = tmp.resolve("stores.properties");
      Files.writeString(conf, String.join("\n",
          "hadoop.fs.s3a.endpoint=" + e.endpoint(),
          "hadoop.fs.s3a.endpoint.region=" + e.region(),
          "hadoop.fs.s3a.path.style.access=true",
          "hadoop.fs.s3a.aws.credentials.provider="
              + "software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider",
          "s3.endpoint=" + e.endpoint(), "s3.path-style=true", "s3.region=" + e.region(), ""));

      Cli up = Cli.run("cp", "-r", src.toString(), "s3a://hadoop-copy/t", "--store-config", conf.toString(),
          "--chunk-size", "5MiB", "-p", "2", "-q");
      Path back = tmp.resolve("back");
      Cli down = Cli.run("cp", "-r", "s3a://hadoop-copy/t/", back.toString(), "--store-config", conf.toString(),
          "--chunk-size", "5MiB", "-p", "2", "-q");
      Path viaNative = tmp.resolve("native");
      Cli nativeDown = Cli.run("cp", "-r", "s3://hadoop-copy/t", viaNative.toString(), "--store-config",
          conf.toString(), "-q");

      assertThat(up.exitCode()).as(up.toString()).isZero();
      assertThat(down.exitCode()).as(down.toString()).isZero();
      assertThat(nativeDown.exitCode()).as(nativeDown.toString()).isZero();
      Trees.assertIdentical(src, back);
      Trees.assertIdentical(src, viaNative);
      assertThat(admin.listObjectsV2Paginator(b -> b.bucket("hadoop-copy")).contents().stream()
              .map(S3Object::key).filter(k -> !k.endsWith("/")))
          .hasSize(27).allMatch(k -> k.startsWith("t/") && !k.contains(".skyplane"));
      assertThat(admin.listMultipartUploads(b -> b.bucket("hadoop-copy")).uploads()).isEmpty();
    }
  }
}
