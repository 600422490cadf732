package io.skyplane.job.profile;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/** Where a TaskManager accepts data connections: its advertised host and its data port. */
public record Endpoint(String host, int port) implements Serializable {
  private static final long serialVersionUID = 1L;

  public Endpoint {
    requireNonNull(host, "host is null");
    if (host.isBlank()) {
      throw new IllegalArgumentException("endpoint host is blank");
    }
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("endpoint port must be in 1..65535, got " + port);
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
