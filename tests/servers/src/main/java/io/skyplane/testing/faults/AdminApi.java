package io.skyplane.testing.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The fault proxy's admin endpoint, on its own port: {@code GET /stats}, {@code GET /config},
 * {@code PUT /config} (body: a spec; answers the canonical spec, 400 with the reason if invalid),
 * {@code POST /reset-stats}, {@code GET /health}.
 */
final class AdminApi implements AutoCloseable {
  private final HttpServer http;
  private final ExecutorService executor;
  private final FaultProxy proxy;

  private AdminApi(HttpServer http, ExecutorService executor, FaultProxy proxy) {
    this.http = http;
    this.executor = executor;
    this.proxy = proxy;
  }

  static AdminApi start(InetSocketAddress address, FaultProxy proxy) throws IOException {
    HttpServer http = HttpServer.create(address, 16);
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fault-proxy-admin");
      t.setDaemon(true);
      return t;
    });
    AdminApi api = new AdminApi(http, executor, proxy);
    http.createContext("/", api::handle);
    http.setExecutor(executor);
    http.start();
    return api;
  }

  int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      switch (path) {
        case "/stats" -> {
          if (method.equals("GET")) {
            reply(ex, 200, "application/json", proxy.stats().toJson());
          } else {
            reply(ex, 405, "text/plain", "GET /stats\n");
          }
        }
        case "/config" -> {
          if (method.equals("GET")) {
            reply(ex, 200, "text/plain", proxy.spec() + "\n");
          } else if (method.equals("PUT") || method.equals("POST")) {
            try {
              FaultSpec spec = FaultSpec.parse(body);
              proxy.configure(spec);
              reply(ex, 200, "text/plain", spec + "\n");
            } catch (IllegalArgumentException e) {
              reply(ex, 400, "text/plain", e.getMessage() + "\n");
            }
          } else {
            reply(ex, 405, "text/plain", "GET or PUT /config\n");
          }
        }
        case "/reset-stats" -> {
          if (method.equals("POST")) {
            proxy.resetStats();
            reply(ex, 200, "application/json", proxy.stats().toJson());
          } else {
            reply(ex, 405, "text/plain", "POST /reset-stats\n");
          }
        }
        case "/health" -> reply(ex, 200, "text/plain", "ok\n");
        default -> reply(ex, 404, "text/plain",
            "GET /stats, GET|PUT /config, POST /reset-stats, GET /health\n");
      }
    }
  }

  private static void reply(HttpExchange ex, int status, String type, String text)
      throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }
}
