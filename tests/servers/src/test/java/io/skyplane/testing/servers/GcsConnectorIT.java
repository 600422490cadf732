package io.skyplane.testing.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Hadoop gcs-connector (hadoop3-2.2.26, shaded) against the GCS server: create, list, rename
 * and delete; rename and recursive delete go through the batch endpoint (rewrite + delete).
 */
class GcsConnectorIT {
  @RegisterExtension static final GcsServerExtension GCS = new GcsServerExtension();

  private static FileSystem fs;

  @BeforeAll
  static void connector() throws Exception {
    HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(GCS.endpoint().endpoint() + "/storage/v1/b?project=p"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"hadoop\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(200);

    Configuration conf = new Configuration(false);
    conf.set("fs.gs.impl", "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem");
    conf.set("fs.gs.project.id", GCS.endpoint().projectId());
    conf.set("fs.gs.storage.root.url", GCS.endpoint().endpoint() + "/");
    conf.set("fs.gs.storage.service.path", "storage/v1/");
    conf.set("fs.gs.auth.service.account.enable", "false");
    conf.set("fs.gs.auth.null.enable", "true");
    conf.set("fs.gs.impl.disable.cache", "true");
    conf.set("fs.gs.batch.threads", "0");
    conf.set("fs.gs.max.requests.per.batch", "20");
    fs = FileSystem.get(URI.create("gs://hadoop/"), conf);
  }

  @AfterAll
  static void close() throws Exception {
    if (fs != null) {
      fs.close();
    }
  }

  @Test
  void createListRenameDelete() throws Exception {
    byte[] data = GcsJavaClientIT.random(3_000_000, 5);
    for (int i = 0; i < 12; i++) {
      try (FSDataOutputStream out = fs.create(new Path("gs://hadoop/in/part-" + i))) {
        out.write(data, 0, 1000 + i);
      }
    }
    try (FSDataOutputStream out = fs.create(new Path("gs://hadoop/in/sub/big"))) {
      out.write(data);
    }

    FileStatus[] listed = fs.listStatus(new Path("gs://hadoop/in"));
    assertThat(Arrays.stream(listed).map(s -> s.getPath().getName()))
        .hasSize(13).contains("part-0", "part-11", "sub");
    assertThat(fs.getFileStatus(new Path("gs://hadoop/in/sub")).isDirectory()).isTrue();
    assertThat(fs.getFileStatus(new Path("gs://hadoop/in/part-7")).getLen()).isEqualTo(1007);

    assertThat(fs.rename(new Path("gs://hadoop/in"), new Path("gs://hadoop/out"))).isTrue();
    assertThat(fs.exists(new Path("gs://hadoop/in"))).isFalse();
    assertThat(fs.listStatus(new Path("gs://hadoop/out"))).hasSize(13);
    byte[] back = new byte[data.length];
    try (FSDataInputStream in = fs.open(new Path("gs://hadoop/out/sub/big"))) {
      in.readFully(back);
    }
    assertThat(back).isEqualTo(data);
    byte[] middle = new byte[5000];
    try (FSDataInputStream in = fs.open(new Path("gs://hadoop/out/sub/big"))) {
      in.readFully(1_234_567, middle);
    }
    assertThat(middle).isEqualTo(Arrays.copyOfRange(data, 1_234_567, 1_234_567 + 5000));

    assertThat(fs.delete(new Path("gs://hadoop/out"), true)).isTrue();
    assertThat(fs.exists(new Path("gs://hadoop/out"))).isFalse();
    assertThat(List.of(fs.listStatus(new Path("gs://hadoop/")))).isEmpty();
    assertThat(java.nio.file.Files.readString(GCS.server().log()))
        .contains("POST /batch/storage/v1");
  }
}
