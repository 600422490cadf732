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
    super(GcsEndpoint.class, options, false);
  }

  private GcsServerExtension(ServerOptions options, boolean shared) {
    super(GcsEndpoint.class, options, shared);
  }

  /**
   * The JVM's shared GCS server (loopback, free port, a 384 MiB heap: enough for 1 GiB in 200
   * objects through the fault proxy), emptied for each test class.
   */
  public static GcsServerExtension shared() {
    return shared(ServerOptions.loopback().withHeap("384m"));
  }

  /** The JVM's shared GCS server with these options (one per distinct options). */
  public static GcsServerExtension shared(ServerOptions options) {
    return new GcsServerExtension(options, true);
  }

  @Override
  protected RunningServer<GcsEndpoint> start(ServerOptions options) {
    return LocalServers.gcs(options);
  }
}
