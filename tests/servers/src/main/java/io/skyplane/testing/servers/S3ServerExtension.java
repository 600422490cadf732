package io.skyplane.testing.servers;

/**
 * Runs a S3Proxy server for a test class ({@code @RegisterExtension static}) or a test (instance
 * field); see {@link ServerExtension}.
 */
public final class S3ServerExtension extends ServerExtension<S3Endpoint> {
  /** Loopback, free port, temp data. */
  public S3ServerExtension() {
    this(ServerOptions.loopback());
  }

  public S3ServerExtension(ServerOptions options) {
    super(S3Endpoint.class, options);
  }

  @Override
  protected RunningServer<S3Endpoint> start(ServerOptions options) {
    return LocalServers.s3(options);
  }
}
