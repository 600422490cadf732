package io.skyplane.store.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreSpec;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopStoreFactoryTest {
  private final HadoopStoreFactory factory = new HadoopStoreFactory();

  @Test
  void servesHadoopSchemesAndAnyHadoopPrefixedOne() {
    assertThat(factory.scheme()).isEqualTo("hadoop");
    for (String scheme : new String[] {"s3a", "abfs", "abfss", "hdfs", "webhdfs", "swebhdfs", "viewfs", "wasb",
        "wasbs", "o3fs", "ofs", "hadoop:gs", "hadoop:file", "hadoop:s3a"}) {
      assertThat(factory.serves(scheme)).as(scheme).isTrue();
    }
    for (String scheme : new String[] {"s3", "gs", "azure", "file", "hadoop", "hadoop:", "hadoop:GS!", "http"}) {
      assertThat(factory.serves(scheme)).as(scheme).isFalse();
    }
    assertThat(ObjectStores.serves("s3a")).isTrue();
    assertThat(ObjectStores.serves("hadoop:gs")).isTrue();
    assertThat(ObjectStores.schemes()).contains("hadoop");
  }

  @Test
  void locatesUrisAsSpecAndPrefix() {
    Map<String, String> options = Map.of("hadoop.fs.s3a.endpoint", "http://x");
    HadoopStoreFactory.Location s3a = HadoopStoreFactory.locate("s3a://bucket/some/prefix", options);
    assertThat(s3a.spec()).isEqualTo(new StoreSpec("s3a", "bucket", options));
    assertThat(s3a.prefix()).isEqualTo("some/prefix");
    HadoopStoreFactory.Location gs = HadoopStoreFactory.locate("hadoop:gs://bucket/x", Map.of());
    assertThat(gs.spec()).isEqualTo(new StoreSpec("hadoop:gs", "bucket", Map.of()));
    assertThat(gs.prefix()).isEqualTo("x");
    HadoopStoreFactory.Location hdfs = HadoopStoreFactory.locate("hdfs://nn:8020/data", Map.of());
    assertThat(hdfs.spec()).isEqualTo(new StoreSpec("hdfs", "nn:8020", Map.of()));
    assertThat(hdfs.prefix()).isEqualTo("data");
    assertThat(HadoopStoreFactory.locate("s3a://bucket", Map.of()).prefix()).isEmpty();
    assertThat(HadoopStoreFactory.locate("hadoop:file:///tmp/d/", Map.of()).spec().bucket()).isEmpty();
    assertThatThrownBy(() -> HadoopStoreFactory.locate("s3://bucket/x", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'s3://bucket/x'");
  }

  @Test
  void missingHadoopIsOneClearLine() {
    try (URLClassLoader bare = new URLClassLoader(new URL[0], null)) {
      assertThat(HadoopStoreFactory.missingHadoop(bare)).get().asString()
          .contains("hadoop-client-api and hadoop-client-runtime")
          .contains("hadoop-lib").contains("README.md").doesNotContain("\n");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertThat(HadoopStoreFactory.missingHadoop(getClass().getClassLoader())).isEmpty();
  }

  @Test
  void configurationTakesHadoopConfDirThenHadoopOptions(@TempDir Path confDir) throws Exception {
    Files.writeString(confDir.resolve("core-site.xml"), """
        <configuration>
          <property><name>fs.s3a.endpoint</name><value>http://from-site</value></property>
          <property><name>fs.s3a.path.style.access</name><value>true</value></property>
        </configuration>
        """);
    StoreSpec spec = new StoreSpec("s3a", "b", Map.of("hadoop.fs.s3a.endpoint", "http://from-option",
        "endpoint", "ignored", "hadoop.x.y", "z"));
    Configuration conf = HadoopFileSystems.configuration(spec, "s3a",
        name -> name.equals("HADOOP_CONF_DIR") ? confDir.toString() : null);
    assertThat(conf.get("fs.s3a.endpoint")).isEqualTo("http://from-option");
    assertThat(conf.get("fs.s3a.path.style.access")).isEqualTo("true");
    assertThat(conf.get("x.y")).isEqualTo("z");
    assertThat(conf.get("endpoint")).isNull();
    assertThat(conf.getBoolean("fs.s3a.impl.disable.cache", false)).isTrue();
  }

  @Test
  void unknownSchemeOrMissingConnectorIsFatal() {
    assertThatThrownBy(() -> factory.open(new StoreSpec("s3", "b", Map.of())))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL));
    assertThatThrownBy(() -> factory.open(new StoreSpec("hadoop:nosuchfs", "b", Map.of())))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL);
          assertThat(e.getMessage()).contains("hadoop:nosuchfs://b").contains("connector").contains("README.md");
        });
  }

  @Test
  void reservedNamesAreTheStoresOwn() {
    assertThat(HadoopStore.isReserved(".skyplane-parts")).isTrue();
    assertThat(HadoopStore.isReserved(".obj.skyplane-put-0123456789abcdef.tmp")).isTrue();
    assertThat(HadoopStore.isReserved(".obj.skyplane-0123456789abcdef.tmp")).isTrue();
    assertThat(HadoopStore.isReserved("obj.tmp")).isFalse();
  }
}
