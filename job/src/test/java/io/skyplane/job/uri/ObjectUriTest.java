package io.skyplane.job.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ObjectUriTest {
  @Test
  void plainPathsAndFileUrisAreLocal() {
    assertThat(ObjectUri.parse("/tmp/a/../b").localPath()).isEqualTo(Path.of("/tmp/b"));
    assertThat(ObjectUri.parse("file:///tmp/x").localPath()).isEqualTo(Path.of("/tmp/x"));
    assertThat(ObjectUri.parse("relative/dir").localPath()).isAbsolute();
    assertThat(ObjectUri.parse("/tmp/dir/").endsWithSeparator()).isTrue();
  }

  @Test
  void objectStoreUris() {
    ObjectUri s3 = ObjectUri.parse("s3://bucket/some/prefix");
    assertThat(s3.scheme()).isEqualTo("s3");
    assertThat(s3.authority()).isEqualTo("bucket");
    assertThat(s3.path()).isEqualTo("some/prefix");
    assertThat(s3.isLocal()).isFalse();
    ObjectUri azure = ObjectUri.parse("https://acct.blob.core.windows.net/container/a/b");
    assertThat(azure.scheme()).isEqualTo("azure");
    assertThat(azure.authority()).isEqualTo("acct");
    assertThat(azure.path()).isEqualTo("container/a/b");
    assertThat(ObjectUri.parse("gs://b").path()).isEmpty();
  }

  @Test
  void hadoopSchemesNeedTheAdapter() {
    // The Hadoop adapter is a separate jar; without it the error says what to add.
    assertThatThrownBy(() -> ObjectUri.parse("s3a://bucket/x"))
        .hasMessageContaining("unknown URI scheme 's3a'").hasMessageContaining("Hadoop adapter");
    assertThatThrownBy(() -> ObjectUri.parse("azure://acct"))
        .hasMessageContaining("missing container");
  }

  @Test
  void rejectsUnknownSchemesAndBadUris() {
    assertThatThrownBy(() -> ObjectUri.parse("ftp://host/x"))
        .hasMessageContaining("unknown URI scheme 'ftp'").hasMessageContaining("ftp://host/x");
    assertThatThrownBy(() -> ObjectUri.parse("hdfs:/x")).hasMessageContaining("unknown location 'hdfs:/x'");
    assertThatThrownBy(() -> ObjectUri.parse("s3:///key")).hasMessageContaining("missing bucket");
    assertThatThrownBy(() -> ObjectUri.parse("file://host/x")).hasMessageContaining("file:///absolute/path");
    assertThatThrownBy(() -> ObjectUri.parse(" ")).hasMessageContaining("empty location");
  }
}
