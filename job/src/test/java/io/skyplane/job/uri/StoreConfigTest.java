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

  @Test
  void refusesEverySecretLookingKeyByItsWords() {
    for (String key : new String[] {"s3.token", "gs.oauth", "gs.oauth2", "s3.bearer", "s3.api-key",
        "s3.apikey", "s3@bucket.auth-secret", "azure.client-secret", "gs.refresh-token", "s3.session_token",
        "azure.sas", "azure.shared-key", "s3.authorization", "hadoop.fs.azure.account.key.acct.blob.core.windows.net",
        "hadoop.fs.azure.account.oauth2.client.secret", "hadoop.fs.s3a.encryption.key", "hadoop.fs.s3a.access.key",
        "hadoop.fs.azure.sas.container.acct.blob.core.windows.net", "hadoop.fs.gs.auth.service.account.private.key",
        "hadoop.fs.s3a.session.token", "hadoop.ssl.keystore.password"}) {
      assertThatThrownBy(() -> StoreConfig.of(Map.of(key, "hunter2")))
          .as(key).hasMessageContaining("must not hold secrets: key '" + key + "'")
          .hasMessageNotContaining("hunter2");
    }
  }

  @Test
  void keysThatOnlyPointAtASecretAreAllowed() {
    StoreConfig.of(Map.of(
        "azure@acct.sas-token-env", "ACCT_SAS",
        "azure@acct/container.connection-string-env", "_CONN2",
        "hadoop.fs.gs.auth.service.account.json.keyfile", "/etc/gcs/key.json",
        "hadoop.fs.azure.account.oauth.provider.type", "org.example.Provider",
        "hadoop.fs.azure.account.oauth2.client.endpoint", "https://login.example/token",
        "hadoop.fs.azure.account.oauth2.client.id", "1234",
        "hadoop.hadoop.security.credential.provider.path", "jceks://file/etc/creds.jceks",
        "hadoop.fs.s3a.aws.credentials.provider", "com.example.Provider",
        "s3@token-bucket.endpoint", "http://x:1", // a bucket's name is not an option
        "faulty-s3.fail-key", "a.bin")); // nor is a key that names an object
  }

  @Test
  void theUnsignedPayloadOptionOfS3IsAccepted() {
    StoreConfig.of(Map.of("s3.unsigned-payload", "true"));
  }

  @Test
  void anEnvOptionMustNameAVariableNotHoldAValue() {
    assertThatThrownBy(() -> StoreConfig.of(Map.of("azure.sas-token-env", "sv=2024-01-01&sig=hunter2")))
        .hasMessageContaining("key 'azure.sas-token-env' must name an environment variable")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void unknownOptionsOfNativeStoresAreRefusedWithAHint() {
    assertThatThrownBy(() -> StoreConfig.of(Map.of("s3.endpont", "http://x:1")))
        .hasMessageContaining("key 's3.endpont': unknown s3 option 'endpont' (did you mean 'endpoint'?"
            + " s3 takes attempts, connect-timeout, endpoint, idle-timeout, path-style, profile, region, request-timeout,"
            + " unsigned-payload)");
    assertThatThrownBy(() -> StoreConfig.of(Map.of("gs@b.anonymus", "true")))
        .hasMessageContaining("did you mean 'anonymous'?");
    assertThatThrownBy(() -> StoreConfig.of(Map.of("azure.endpiont", "X")))
        .hasMessageContaining("unknown azure option 'endpiont' (did you mean 'endpoint'?");
    // a misspelt pointer option looks like a secret, and is refused as one (its value may be the secret)
    assertThatThrownBy(() -> StoreConfig.of(Map.of("azure.sas-token-enviroment", "X")))
        .hasMessageContaining("must not hold secrets: key 'azure.sas-token-enviroment'");
    assertThatThrownBy(() -> StoreConfig.of(Map.of("s3.colour", "blue")))
        .hasMessageContaining("unknown s3 option 'colour' (s3 takes attempts, connect-timeout, endpoint, idle-timeout, path-style, profile, region, request-timeout, unsigned-payload)");
    assertThatThrownBy(() -> StoreConfig.of(Map.of("file.root", "/x"))).hasMessageContaining("file locations take no options");
    // other schemes (Hadoop's) and hadoop.* keys are free-form
    assertThat(StoreConfig.of(Map.of("s3a.anything", "x", "hadoop.fs.s3a.whatever", "y")).options("s3a", "b"))
        .containsEntry("anything", "x");
  }
}
