package io.skyplane.testing.servers;

import java.net.URI;
import java.util.Map;

/** Where a started server listens and how to talk to it. */
public sealed interface ServerEndpoint permits S3Endpoint, AzureEndpoint, GcsEndpoint {
  /** The base URL clients take as their endpoint. */
  URI endpoint();

  /** The endpoint as environment variables, e.g. {@code S3_ENDPOINT}, in a stable order. */
  Map<String, String> env();
}
