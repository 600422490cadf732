package io.skyplane.testing.servers;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A GCS JSON-API endpoint ({@code http://HOST:PORT}, no path). It takes no credentials: use
 * {@code NoCredentials} / anonymous access. The project id is accepted and ignored.
 */
public record GcsEndpoint(URI endpoint, String projectId) implements ServerEndpoint {

  public GcsEndpoint {
    Objects.requireNonNull(endpoint, "endpoint is null");
    Objects.requireNonNull(projectId, "projectId is null");
  }

  @Override
  public Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GCS_ENDPOINT", endpoint.toString());
    env.put("GCS_PROJECT", projectId);
    return env;
  }
}
