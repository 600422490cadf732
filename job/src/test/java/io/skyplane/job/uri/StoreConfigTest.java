package io.skyplane.job.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.job.transfer.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreConfigTest {
  @TempDir Path dir;

  @Test
  void schemeOptionsAreOverriddenPerBucketAndPerAzureAccount() {
    StoreConfig config = StoreConfig.of(Map.of(
        "s3.endpoint", "http://a:1",
        "s3.path-style", "true",
        "s3@logs.example.com.endpoint", "http://b:2",
        "gs.anonymous", "true",
        "azure.endpoint", "http://az:3/acct",
        "azure@other.endpoint", "http://az:4/other",
        "azure@other/special.endpoint", "http://az:5/other",
        "hadoop.fs.s3a.endpoint", "http://h:6"));
    assertThat(config.options("s3", "plain")).containsExactlyInAnyOrderEntriesOf(
        Map.of("endpoint", "http://a:1", "path-style", "true"));
    assertThat(config.options("s3", "logs.example.com")).containsEntry("endpoint", "http://b:2")
        .containsEntry("path-style", "true");
    assertThat(config.options("gs", "b")).isEqualTo(Map.of("anonymous", "true"));
    assertThat(config.options("azure", "acct/c")).isEqualTo(Map.of("endpoint", "http://az:3/acct"));
    assertThat(config.options("azure", "other/c")).isEqualTo(Map.of("endpoint", "http://az:4/other"));
    assertThat(config.options("azure", "other/special")).isEqualTo(Map.of("endpoint", "http://az:5/other"));
    assertThat(config.options("s3a", "bucket")).isEqualTo(Map.of("hadoop.fs.s3a.endpoint", "http://h:6"));
    assertThat(config.options("s3", "x")).doesNotContainKey("hadoop.fs.s3a.endpoint");
  }

  @Test
  void locatesTreesAsDirectoriesAndObjectsAsKeys() {
    StoreConfig config = StoreConfig.of(Map.of("azure.endpoint", "http://az:3/acct"));
    Location tree = config.locate(ObjectUri.parse("s3://b/data"), false);
    assertThat(tree.store().bucket()).isEqualTo("b");
    assertThat(tree.prefix()).isEqualTo("data/");
    assertThat(config.locate(ObjectUri.parse("s3://b/"), false).prefix()).isEmpty();
    assertThat(config.locate(ObjectUri.parse("s3://b/data/x.bin"), true).prefix()).isEqualTo("data/x.bin");
    Location azure = config.locate(ObjectUri.parse("azure://acct/container/p"), false);
    assertThat(azure.store().bucket()).isEqualTo("acct/container");
    assertThat(azure.store().options()).containsEntry("endpoint", "http://az:3/acct");
    assertThat(azure.prefix()).isEqualTo("p/");
    Location local = config.locate(ObjectUri.parse(dir.toString()), false);
    assertThat(local.isLocal()).isTrue();
    assertThat(local.localPath(false)).isEqualTo(dir);
  }

  @Test
  void refusesSecretsWithoutEchoingTheirValues() throws IOException {
    for (String key : new String[] {"s3.secret-access-key", "s3.access-key", "azure.connection-string",
        "azure.account-key", "hadoop.fs.s3a.secret.key", "hadoop.fs.azure.account.key.acct", "gs.password"}) {
      assertThatThrownBy(() -> StoreConfig.of(Map.of(key, "hunter2")))
          .hasMessageContaining("must not hold secrets").hasMessageContaining(key)
          .hasMessageNotContaining("hunter2");
    }
    // names of variables and provider classes are not secrets
    StoreConfig.of(Map.of("azure.connection-string-env", "MY_VAR", "azure.sas-token-env", "SAS",
        "hadoop.fs.s3a.aws.credentials.provider", "com.example.Provider"));
    Path file = dir.resolve("stores.properties");
    Files.writeString(file, "# comment\ns3.endpoint = http://x:1\ns3.session-token=abc\n");
    assertThatThrownBy(() -> StoreConfig.load(file)).hasMessageContaining(file.toString())
        .hasMessageContaining("s3.session-token").hasMessageNotContaining("abc");
  }

  @Test
  void missingExplicitFileAndMalformedKeysAreErrors() throws IOException {
    assertThatThrownBy(() -> StoreConfig.load(dir.resolve("nope.properties")))
        .hasMessageContaining("nope.properties").hasMessageContaining("does not exist");
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "endpoint=http://x:1\n");
    assertThatThrownBy(() -> StoreConfig.load(file)).hasMessageContaining("'endpoint' is not SCHEME.OPTION");
    Files.writeString(file, "s3.endpoint=http://x:1\n");
    assertThat(StoreConfig.load(file).options("s3", "b")).containsEntry("endpoint", "http://x:1");
  }
}
