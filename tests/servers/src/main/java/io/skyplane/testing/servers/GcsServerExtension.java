package io.skyplane.testing.servers;

/**
 * Runs a GCS server for a test class ({@code @RegisterExtension static}) or a test (instance
 * field); see {@link ServerExtension}.
 */
public final class GcsServerExtension extends ServerExtension<GcsEndpoint> {
  /** Loopback, free port, temp data. */
  public GcsServerExtension() {
    this(ServerOptions.loopback());
  }

  public GcsServerExtension(ServerOptions options) {
    super(GcsEndpoint.class, options);
  }

  @Override
  protected RunningServer<GcsEndpoint> start(ServerOptions options) {
    return LocalServers.gcs(options);
  }
}
