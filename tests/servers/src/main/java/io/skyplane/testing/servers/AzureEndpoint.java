package io.skyplane.testing.servers;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An Azurite blob endpoint. {@link #endpoint()} is the account URL
 * ({@code http://HOST:PORT/devstoreaccount1}), which the Azure SDK takes as the service endpoint.
 */
public record AzureEndpoint(URI endpoint, String accountName, String accountKey)
    implements ServerEndpoint {

  /** Azurite's well-known development account. */
  public static final String DEV_ACCOUNT = "devstoreaccount1";

  /** Azurite's published development key (not a secret). */
  public static final String DEV_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  public AzureEndpoint {
    Objects.requireNonNull(endpoint, "endpoint is null");
    Objects.requireNonNull(accountName, "accountName is null");
    Objects.requireNonNull(accountKey, "accountKey is null");
  }

  /** A connection string for {@code BlobServiceClientBuilder.connectionString}. */
  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName=" + accountName + ";AccountKey="
        + accountKey + ";BlobEndpoint=" + endpoint + ";";
  }

  @Override
  public Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AZURE_BLOB_ENDPOINT", endpoint.toString());
    env.put("AZURE_ACCOUNT", accountName);
    env.put("AZURE_KEY", accountKey);
    env.put("AZURE_CONNECTION_STRING", connectionString());
    return env;
  }
}
