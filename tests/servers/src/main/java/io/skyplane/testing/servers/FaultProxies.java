package io.skyplane.testing.servers;

import io.skyplane.testing.faults.FaultProxy;
import io.skyplane.testing.faults.FaultSpec;
import io.skyplane.testing.faults.StoreFlavour;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Starts a {@link FaultProxy} as its own process in front of a running server, like
 * {@link LocalServers} starts the servers: on a free port (or {@link ServerOptions#port()}), its
 * admin API on another free port, optionally inside a network namespace; returns once it listens.
 * The proxy logs every request to {@link RunningFaultProxy#log()}.
 */
public final class FaultProxies {
  private static final Pattern READY =
      Pattern.compile("FAULT_PROXY=(http://\\S+) FAULT_ADMIN=(http://\\S+)");
  private static final String DEFAULT_HEAP = "256m";

  private FaultProxies() {}

  /** A proxy on loopback imitating the store that {@code upstream} is. */
  public static <E extends ServerEndpoint> RunningFaultProxy<E> start(E upstream, FaultSpec spec) {
    return start(upstream, spec, flavourOf(upstream), ServerOptions.loopback());
  }

  /** A proxy on loopback answering faults as {@code flavour} does. */
  public static <E extends ServerEndpoint> RunningFaultProxy<E> start(E upstream, FaultSpec spec,
      StoreFlavour flavour) {
    return start(upstream, spec, flavour, ServerOptions.loopback());
  }

  /**
   * A proxy with these options (bind address, netns, port, log folder via {@code dataDir}, heap).
   *
   * @throws IllegalStateException if the proxy did not start (the message has its log)
   */
  public static <E extends ServerEndpoint> RunningFaultProxy<E> start(E upstream, FaultSpec spec,
      StoreFlavour flavour, ServerOptions options) {
    Objects.requireNonNull(upstream, "upstream is null");
    Objects.requireNonNull(spec, "spec is null");
    Objects.requireNonNull(flavour, "flavour is null");
    URI u = upstream.endpoint();
    String upstreamBase = "http://" + u.getHost() + ":" + u.getPort();
    AtomicReference<URI> admin = new AtomicReference<>();
    RunningServer<E> process = ProcessLauncher.launch("faultproxy-" + flavour.key(), options,
        READY, (port, data) -> {
          List<String> cmd = new ArrayList<>(List.of(Artifacts.javaExecutable(),
              "-Xmx" + (options.heap() == null ? DEFAULT_HEAP : options.heap()),
              "-XX:+UseSerialGC", "-cp", Artifacts.testServersClasspath(),
              FaultProxy.class.getName(), "--upstream", upstreamBase, "--store", flavour.key(),
              "--host", options.bindAddress(), "--port", Integer.toString(port),
              "--admin-port", "0", "--faults", spec.toString(), "--access-log"));
          return new ProcessLauncher.Plan<>(cmd, m -> {
            admin.set(URI.create(m.group(2)));
            return withBase(upstream, URI.create(m.group(1)));
          });
        });
    return new RunningFaultProxy<>(process, upstream, admin.get(), flavour);
  }

  /** The flavour of the store behind an endpoint type. */
  public static StoreFlavour flavourOf(ServerEndpoint endpoint) {
    if (endpoint instanceof S3Endpoint) {
      return StoreFlavour.S3;
    }
    if (endpoint instanceof AzureEndpoint) {
      return StoreFlavour.AZURE;
    }
    if (endpoint instanceof GcsEndpoint) {
      return StoreFlavour.GCS;
    }
    throw new IllegalArgumentException("unknown endpoint type " + endpoint.getClass());
  }

  /**
   * The same endpoint with another scheme, host and port ({@code base}), keeping its path (Azure's
   * {@code /devstoreaccount1}) and credentials; Azure's connection string follows the endpoint.
   */
  @SuppressWarnings("unchecked")
  public static <E extends ServerEndpoint> E withBase(E endpoint, URI base) {
    URI u = endpoint.endpoint();
    URI moved = URI.create(base.getScheme() + "://" + base.getRawAuthority()
        + (u.getRawPath() == null ? "" : u.getRawPath()));
    if (endpoint instanceof S3Endpoint s) {
      return (E) new S3Endpoint(moved, s.accessKey(), s.secretKey(), s.region());
    }
    if (endpoint instanceof AzureEndpoint a) {
      return (E) new AzureEndpoint(moved, a.accountName(), a.accountKey());
    }
    if (endpoint instanceof GcsEndpoint g) {
      return (E) new GcsEndpoint(moved, g.projectId());
    }
    throw new IllegalArgumentException("unknown endpoint type " + endpoint.getClass());
  }
}
