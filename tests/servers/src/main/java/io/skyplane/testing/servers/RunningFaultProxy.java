package io.skyplane.testing.servers;

import io.skyplane.testing.faults.FaultAdmin;
import io.skyplane.testing.faults.FaultSpec;
import io.skyplane.testing.faults.FaultStats;
import io.skyplane.testing.faults.StoreFlavour;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A fault proxy process started by {@link FaultProxies}: {@link #endpoint()} is the store's
 * endpoint record pointing at the proxy, {@link #upstream()} the store itself. Admin calls fail
 * with {@link java.io.UncheckedIOException} if the proxy is unreachable and
 * {@link IllegalArgumentException} if it refuses a spec. {@link #close()} stops the process like
 * {@link RunningServer#close()}; it does not stop the store.
 */
public final class RunningFaultProxy<E extends ServerEndpoint> implements AutoCloseable {
  private final RunningServer<E> process;
  private final E upstream;
  private final URI admin;
  private final StoreFlavour flavour;
  private final FaultAdmin client;

  RunningFaultProxy(RunningServer<E> process, E upstream, URI admin, StoreFlavour flavour) {
    this.process = Objects.requireNonNull(process, "process is null");
    this.upstream = Objects.requireNonNull(upstream, "upstream is null");
    this.admin = Objects.requireNonNull(admin, "admin is null");
    this.flavour = Objects.requireNonNull(flavour, "flavour is null");
    this.client = new FaultAdmin(admin);
  }

  /** The store's endpoint record with the proxy's URL (same type as {@link #upstream()}). */
  public E endpoint() {
    return process.endpoint();
  }

  /** The store's own endpoint, bypassing the proxy. */
  public E upstream() {
    return upstream;
  }

  /** The admin API's base URL. */
  public URI admin() {
    return admin;
  }

  public StoreFlavour flavour() {
    return flavour;
  }

  /** The proxy's counters. */
  public FaultStats stats() {
    return client.stats();
  }

  /** The spec in force. */
  public FaultSpec spec() {
    return client.spec();
  }

  /** Replaces the spec; the decision sequence starts afresh (seed, skip count). */
  public FaultSpec configure(FaultSpec spec) {
    return client.configure(spec);
  }

  /** Replaces the spec with a spec string (grammar in {@link FaultSpec}). */
  public FaultSpec configure(String spec) {
    return client.configure(spec);
  }

  /** Zeroes the counters. */
  public void resetStats() {
    client.resetStats();
  }

  /** The proxy process. */
  public RunningServer<E> process() {
    return process;
  }

  /** The proxy's output: the ready line, one line per injected fault and per request. */
  public Path log() {
    return process.log();
  }

  /**
   * The proxied endpoint as environment variables ({@code S3_ENDPOINT} = the proxy), the direct
   * ones with {@code DIRECT_} before {@code ENDPOINT}/{@code CONNECTION_STRING}
   * ({@code S3_DIRECT_ENDPOINT}, {@code AZURE_BLOB_DIRECT_ENDPOINT},
   * {@code AZURE_DIRECT_CONNECTION_STRING}, {@code GCS_DIRECT_ENDPOINT}) and the admin URL as
   * {@code FAULT_ADMIN_S3|AZURE|GCS}.
   */
  public Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>(endpoint().env());
    upstream.env().forEach((k, v) -> {
      if (!v.equals(env.get(k))) {
        env.put(direct(k), v);
      }
    });
    env.put("FAULT_ADMIN_" + flavour.name(), admin.toString());
    return env;
  }

  /** Leaves the process running after this JVM exits (for the start script). */
  public void detach() {
    process.detach();
  }

  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return "fault proxy " + endpoint().endpoint() + " -> " + upstream.endpoint() + " (admin "
        + admin + ")";
  }

  private static String direct(String key) {
    if (key.endsWith("_ENDPOINT")) {
      return key.substring(0, key.length() - "ENDPOINT".length()) + "DIRECT_ENDPOINT";
    }
    if (key.endsWith("_CONNECTION_STRING")) {
      return key.substring(0, key.length() - "CONNECTION_STRING".length())
          + "DIRECT_CONNECTION_STRING";
    }
    return key + "_DIRECT";
  }
}
