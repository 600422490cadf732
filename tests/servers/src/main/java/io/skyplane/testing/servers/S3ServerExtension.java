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
    super(S3Endpoint.class, options, false);
  }

  private S3ServerExtension(ServerOptions options, boolean shared) {
    super(S3Endpoint.class, options, shared);
  }

  /** The JVM's shared S3Proxy server (loopback, free port), emptied for each test class. */
  public static S3ServerExtension shared() {
    return shared(ServerOptions.loopback());
  }

  /** The JVM's shared S3Proxy server with these options (one per distinct options). */
  public static S3ServerExtension shared(ServerOptions options) {
    return new S3ServerExtension(options, true);
  }

  @Override
  protected RunningServer<S3Endpoint> start(ServerOptions options) {
    return LocalServers.s3(options);
  }
}
