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
    super(AzureEndpoint.class, options, false);
  }

  private AzuriteExtension(ServerOptions options, boolean shared) {
    super(AzureEndpoint.class, options, shared);
  }

  /** The JVM's shared Azurite server (loopback, free port), emptied for each test class. */
  public static AzuriteExtension shared() {
    return shared(ServerOptions.loopback());
  }

  /** The JVM's shared Azurite server with these options (one per distinct options). */
  public static AzuriteExtension shared(ServerOptions options) {
    return new AzuriteExtension(options, true);
  }

  @Override
  protected RunningServer<AzureEndpoint> start(ServerOptions options) {
    return LocalServers.azurite(options);
  }
}
