package io.skyplane.testing.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A client of a fault proxy's admin API (its URL is {@code FAULT_ADMIN_<KIND>} from the start
 * script, or {@code RunningFaultProxy.admin()}). Calls fail with {@link UncheckedIOException} when
 * the proxy cannot be reached, and {@link IllegalArgumentException} when it refuses a spec.
 */
public final class FaultAdmin {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final URI base;
  private final HttpClient http;

  public FaultAdmin(URI base) {
    this.base = Objects.requireNonNull(base, "base is null");
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(TIMEOUT).build();
  }

  /** The counters ({@code GET /stats}). */
  public FaultStats stats() {
    return FaultStats.parse(call("GET", "/stats", null));
  }

  /** The spec in force ({@code GET /config}). */
  public FaultSpec spec() {
    return FaultSpec.parse(call("GET", "/config", null).trim());
  }

  /** Replaces the spec ({@code PUT /config}); the decision sequence starts afresh. */
  public FaultSpec configure(FaultSpec spec) {
    return configure(spec.toString());
  }

  /** Replaces the spec with a spec string; fails with the proxy's reason if it is invalid. */
  public FaultSpec configure(String spec) {
    return FaultSpec.parse(call("PUT", "/config", spec).trim());
  }

  /** Zeroes the counters ({@code POST /reset-stats}). */
  public void resetStats() {
    call("POST", "/reset-stats", "");
  }

  private String call(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + base.resolve(path) + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + method + " " + path, e);
    }
    if (r.statusCode() == 400) {
      throw new IllegalArgumentException(r.body().trim());
    }
    if (r.statusCode() != 200) {
      throw new UncheckedIOException(new IOException(method + " " + base.resolve(path)
          + " answered " + r.statusCode() + ": " + r.body().trim()));
    }
    return r.body();
  }
}
