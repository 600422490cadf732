package io.skyplane.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.skyplane.job.testing.Cli;
import io.skyplane.job.testing.Clusters;
import io.skyplane.job.testing.Trees;
import io.skyplane.testing.gcs.GcsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that throttles (our GCS server answering every 4th request 429 rateLimitExceeded, as GCS
 * does) slows the transfer down, through the client's back-off, instead of failing it: writes
 * (puts, parts, composes) and reads both come through complete and byte-identical.
 */
class ThrottlingIT {
  @RegisterExtension static final MiniClusterExtension CLUSTER = Clusters.twoTaskManagers();

  @TempDir Path tmp;

  @Test
  void throttledRequestsAreRetriedWithBackOffAndTheCopyCompletes() throws Exception {
    try (GcsServer server = GcsServer.start("127.0.0.1", 0, tmp.resolve("gcs"))) {
      Storage admin = StorageOptions.http().setHost(server.endpoint()).setProjectId("p")
          .setCredentials(NoCredentials.getInstance()).build().getService();
      admin.create(BucketInfo.of("throttled"));
      Path src = tmp.resolve("src");
      Trees.random(src.resolve("big.bin"), (12L << 20) + 5, 1);
      for (int i = 0; i < 20; i++) {
        Trees.random(src.resolve("small/f" + i), 1000 + i, i + 2);
      }
      Path conf = tmp.resolve("stores.properties");
      Files.writeString(conf, "gs.endpoint=" + server.endpoint() + "\ngs.anonymous=true\ngs.project=p\n");
      server.throttleEvery(4);

      Cli up = Cli.run("cp", "-r", src.toString(), "gs://throttled/t", "--store-config", conf.toString(),
          "--chunk-size", "5MiB", "-p", "2", "-q");
      long throttledUp = server.throttled();
      Path back = tmp.resolve("back");
      Cli down = Cli.run("cp", "-r", "gs://throttled/t", back.toString(), "--store-config", conf.toString(),
          "--chunk-size", "5MiB", "-p", "2", "-q");

      assertThat(up.exitCode()).as(up.toString()).isZero();
      assertThat(down.exitCode()).as(down.toString()).isZero();
      assertThat(throttledUp).as("429s during the upload").isGreaterThan(5);
      assertThat(server.throttled()).as("429s during the download").isGreaterThan(throttledUp);
      Trees.assertIdentical(src, back);
      server.throttleEvery(0);
      assertThat(admin.list("throttled").iterateAll()).extracting(b -> b.getName())
          .allMatch(name -> name.startsWith("t/")).hasSize(21); // no temporary part objects left
    }
  }
}
