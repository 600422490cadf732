package io.skyplane.testing.servers;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** An S3Proxy endpoint: path-style access, SigV4 (or V2) with these static credentials. */
public record S3Endpoint(URI endpoint, String accessKey, String secretKey, String region)
    implements ServerEndpoint {

  public S3Endpoint {
    Objects.requireNonNull(endpoint, "endpoint is null");
    Objects.requireNonNull(accessKey, "accessKey is null");
    Objects.requireNonNull(secretKey, "secretKey is null");
    Objects.requireNonNull(region, "region is null");
  }

  @Override
  public Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("S3_ENDPOINT", endpoint.toString());
    env.put("S3_ACCESS_KEY", accessKey);
    env.put("S3_SECRET_KEY", secretKey);
    env.put("S3_REGION", region);
    return env;
  }
}
