package io.skyplane.testing.servers;

/**
 * Runs a Azurite server for a test class ({@code @RegisterExtension static}) or a test (instance
 * field); see {@link ServerExtension}.
 */
public final class AzuriteExtension extends ServerExtension<AzureEndpoint> {
  /** Loopback, free port, temp data. */
  public AzuriteExtension() {
    this(ServerOptions.loopback());
  }

  public AzuriteExtension(ServerOptions options) {
    super(AzureEndpoint.class, options);
  }

  @Override
  protected RunningServer<AzureEndpoint> start(ServerOptions options) {
    return LocalServers.azurite(options);
  }
}
