package io.skyplane.testing.gcs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A GCS JSON-API server for tests and benchmarks, on the JDK HTTP server. No authentication: any
 * or no {@code Authorization} header is accepted. Objects live as files under the data folder.
 *
 * <p>Usage: {@code java -cp skyplane-gcs-server.jar io.skyplane.testing.gcs.GcsServer
 * [--host 127.0.0.1] [--port 0] [--data DIR] [--access-log] [--throttle-every N]}. Once listening it prints one line
 * {@code GCS_ENDPOINT=http://HOST:PORT} on stdout; it stops on SIGTERM.
 */
public final class GcsServer implements AutoCloseable {
  private final HttpServer http;
  private final ExecutorService executor;
  private final Router router;
  private final String endpoint;
  private volatile boolean accessLog;
  private volatile int throttleEvery;
  private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong throttled = new java.util.concurrent.atomic.AtomicLong();

  private GcsServer(HttpServer http, ExecutorService executor, Router router) {
    this.http = http;
    this.executor = executor;
    this.router = router;
    InetSocketAddress a = http.getAddress();
    String host = a.getAddress().getHostAddress();
    this.endpoint = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** Starts a server on {@code host:port} (port 0 picks a free one) storing under {@code data}. */
  public static GcsServer start(String host, int port, Path data) throws IOException {
    // Small JSON answers must not wait for Nagle + delayed ACK (read once, when the first JDK
    // HttpServer is created).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    Storage storage = new Storage(Files.createDirectories(data));
    Router router = new Router(storage);
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port),
        256);
    ExecutorService executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "gcs-http");
      t.setDaemon(true);
      return t;
    });
    GcsServer server = new GcsServer(http, executor, router);
    http.createContext("/", server::exchange);
    http.setExecutor(executor);
    http.start();
    return server;
  }

  /** {@code http://host:port}, the root URL clients take as their endpoint. */
  public String endpoint() {
    return endpoint;
  }

  /**
   * Answers every {@code n}-th request with 429 rateLimitExceeded (after reading its body), as GCS
   * does when a client exceeds a rate limit; 0 turns it off. For tests of clients' back-off.
   */
  public void throttleEvery(int n) {
    this.throttleEvery = n;
  }

  /** How many requests were answered 429 by {@link #throttleEvery}. */
  public long throttled() {
    return throttled.get();
  }

  /** Prints one line per request ({@code METHOD PATH?QUERY STATUS}) on stdout. */
  public void accessLog(boolean on) {
    this.accessLog = on;
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }

  private void exchange(HttpExchange ex) throws IOException {
    try (ex) {
      InputStream body = ex.getRequestBody();
      if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new GZIPInputStream(body, 1 << 16);
      }
      String method = ex.getRequestMethod().toUpperCase();
      String override = ex.getRequestHeaders().getFirst("X-HTTP-Method-Override");
      if (override != null && !override.isBlank()) {
        method = override.trim().toUpperCase();
      }
      String host = ex.getRequestHeaders().getFirst("Host");
      String base = host == null ? endpoint : "http://" + host;
      ApiRequest request = new ApiRequest(method, ex.getRequestURI().getRawPath(),
          ApiRequest.parseQuery(ex.getRequestURI().getRawQuery()), ex.getRequestHeaders(), body,
          base);
      int every = throttleEvery;
      ApiResponse response;
      if (every > 0 && requests.incrementAndGet() % every == 0) {
        body.transferTo(OutputStream.nullOutputStream());
        throttled.incrementAndGet();
        response = ApiResponse.json(429, Map.of("error", Map.of("code", 429,
            "message", "The rate of requests exceeds the limit (test throttle)",
            "errors", List.of(Map.of("reason", "rateLimitExceeded", "domain", "usageLimits",
                "message", "The rate of requests exceeds the limit (test throttle)")))));
      } else {
        response = router.handle(request);
      }
      if (accessLog) {
        String query = ex.getRequestURI().getRawQuery();
        System.out.println(method + " " + ex.getRequestURI().getRawPath()
            + (query == null ? "" : "?" + query) + " " + response.status());
      }
      ex.getResponseHeaders().putAll(response.headers());
      boolean noBody = response.length() == 0 || "HEAD".equals(ex.getRequestMethod())
          || response.status() == 204 || response.status() == 304;
      ex.sendResponseHeaders(response.status(), noBody ? -1 : response.length());
      if (!noBody) {
        try (OutputStream out = ex.getResponseBody()) {
          response.writeBody(out);
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String host = "127.0.0.1";
    int port = 0;
    Path data = null;
    boolean accessLog = false;
    int throttle = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--host" -> host = args[++i];
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--data" -> data = Path.of(args[++i]);
        case "--access-log" -> accessLog = true;
        case "--throttle-every" -> throttle = Integer.parseInt(args[++i]);
        case "--help", "-h" -> {
          System.out.println("usage: GcsServer [--host ADDR] [--port N (0 = any free)] "
              + "[--data DIR (default: a new temp folder)] [--access-log] [--throttle-every N]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    if (data == null) {
      data = Files.createTempDirectory("gcs-server-");
    }
    GcsServer server = start(host, port, data);
    server.accessLog(accessLog);
    server.throttleEvery(throttle);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "gcs-server-stop"));
    System.out.println("GCS_ENDPOINT=" + server.endpoint());
    System.out.flush();
    Thread.currentThread().join();
  }
}
