package io.skyplane.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.store.StoreFactory;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class AzureStoreFactoryTest {
  @Test
  void parsesBothUriForms() {
    AzureStoreFactory.Location short_ = AzureStoreFactory.locate("azure://acct/data/a/b c", Map.of());
    assertThat(short_.spec().scheme()).isEqualTo("azure");
    assertThat(short_.spec().bucket()).isEqualTo("acct/data");
    assertThat(short_.prefix()).isEqualTo("a/b c");
    AzureStoreFactory.Location https = AzureStoreFactory.locate(
        "https://acct.blob.core.windows.net/data/x/", Map.of("endpoint", "http://h"));
    assertThat(https.spec().bucket()).isEqualTo("acct/data");
    assertThat(https.prefix()).isEqualTo("x/");
    assertThat(https.spec().option("endpoint", "")).isEqualTo("http://h");
    assertThat(AzureStoreFactory.locate("azure://acct/data", Map.of()).prefix()).isEmpty();
  }

  @Test
  void rejectsBadUris() {
    assertThatThrownBy(() -> AzureStoreFactory.locate("azure://acct", Map.of()))
        .hasMessageContaining("azure://acct");
    assertThatThrownBy(() -> AzureStoreFactory.locate("azure://acct/Bad_Container/x", Map.of()))
        .hasMessageContaining("Bad_Container");
    assertThatThrownBy(() -> AzureStoreFactory.locate("https://example.com/c/x", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesCredentialsOfAnotherAccount() {
    String connection = "DefaultEndpointsProtocol=http;AccountName=other;AccountKey="
        + java.util.Base64.getEncoder().encodeToString(new byte[64])
        + ";BlobEndpoint=http://127.0.0.1:1/other;";
    AzureStoreFactory factory = new AzureStoreFactory(name -> connection);
    assertThatThrownBy(() -> factory.open(AzureStoreFactory.locate("azure://acct/c", Map.of()).spec()))
        .hasMessageContaining("another storage account").hasMessageNotContaining("AccountKey");
  }

  @Test
  void blockIdsHaveOneLength() {
    String a = AzureMultipartWriter.blockId("0".repeat(32), 1);
    String b = AzureMultipartWriter.blockId("f".repeat(32), 50_000);
    assertThat(a).hasSameSizeAs(b);
  }

  @Test
  void isAServiceWithTheGcsFactory() {
    assertThat(ServiceLoader.load(StoreFactory.class).stream().map(p -> p.get().scheme()))
        .contains("azure", "gs");
  }
}
