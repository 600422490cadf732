package io.skyplane.testing.servers;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to start one server.
 *
 * @param bindAddress the address the server listens on (default 127.0.0.1)
 * @param netns a network namespace to run the server in ({@code ip netns exec}), or null
 * @param port a fixed port, or 0 to pick a free one
 * @param dataDir where the server keeps its data, or null for a new temp folder removed on close
 * @param heap the {@code -Xmx} of a Java server (S3Proxy, GCS), e.g. "256m", or null
 */
public record ServerOptions(String bindAddress, String netns, int port, Path dataDir, String heap) {

  public ServerOptions {
    Objects.requireNonNull(bindAddress, "bindAddress is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** Loopback, free port, temp data, default heap. */
  public static ServerOptions loopback() {
    return new ServerOptions("127.0.0.1", null, 0, null, null);
  }

  public ServerOptions withBind(String address) {
    return new ServerOptions(address, netns, port, dataDir, heap);
  }

  public ServerOptions withNetns(String namespace) {
    return new ServerOptions(bindAddress, namespace, port, dataDir, heap);
  }

  public ServerOptions withPort(int fixedPort) {
    return new ServerOptions(bindAddress, netns, fixedPort, dataDir, heap);
  }

  public ServerOptions withDataDir(Path dir) {
    return new ServerOptions(bindAddress, netns, port, dir, heap);
  }

  public ServerOptions withHeap(String xmx) {
    return new ServerOptions(bindAddress, netns, port, dataDir, xmx);
  }

  /** The host part of an endpoint URL for the bind address (IPv6 in brackets). */
  String urlHost() {
    String host = "0.0.0.0".equals(bindAddress) ? "127.0.0.1" : bindAddress;
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
