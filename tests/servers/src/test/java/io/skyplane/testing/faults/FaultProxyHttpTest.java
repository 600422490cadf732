package io.skyplane.testing.faults;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy's HTTP handling and each fault, in this JVM, in front of a JDK HTTP server (echo,
 * fixed-length and chunked bodies) or a raw-socket server (answers without length, HEAD/204/304
 * heads, early refusals, closed idle connections), with raw sockets or the JDK client in front.
 */
class FaultProxyHttpTest {
  private static HttpServer upstream;
  private static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();
  private FaultProxy proxy;

  @BeforeAll
  static void startUpstream() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    upstream.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "upstream");
      t.setDaemon(true);
      return t;
    }));
    upstream.createContext("/", FaultProxyHttpTest::answer);
    upstream.start();
  }

  @AfterAll
  static void stopUpstream() {
    upstream.stop(0);
  }

  @AfterEach
  void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void forwardsBodiesBothWaysByteForByteOnOneConnection() throws Exception {
    start("none");
    HttpClient client = client();
    byte[] data = random(3 << 20, 1);
    HttpResponse<byte[]> fixed = client.send(request("/echo").POST(BodyPublishers.ofByteArray(data))
        .build(), BodyHandlers.ofByteArray());
    assertThat(fixed.statusCode()).isEqualTo(200);
    assertThat(fixed.body()).isEqualTo(data);
    assertThat(fixed.headers().firstValue("X-Seen-Host"))
        .hasValue("127.0.0.1:" + proxy.endpoint().getPort()); // the client's Host, kept
    HttpResponse<byte[]> chunked = client.send(request("/echo").POST(BodyPublishers.ofInputStream(
        () -> new ByteArrayInputStream(data))).build(), BodyHandlers.ofByteArray());
    assertThat(chunked.headers().firstValue("X-Seen-Transfer-Encoding")).hasValue("chunked");
    assertThat(chunked.body()).isEqualTo(data);
    assertThat(get(client, "/bytes?n=5000000").body()).isEqualTo(random(5_000_000, 5_000_000));
    HttpResponse<byte[]> chunkedDown = get(client, "/chunked?n=1000000");
    assertThat(chunkedDown.body()).isEqualTo(random(1_000_000, 1_000_000));

    FaultStats stats = proxy.stats();
    assertThat(stats.requests()).isEqualTo(4);
    assertThat(stats.count(FaultKind.NONE)).isEqualTo(4);
    assertThat(stats.connections()).isEqualTo(1);
    assertThat(stats.bytesUpstream()).isEqualTo(2L * data.length);
    assertThat(stats.bytesDownstream()).isEqualTo(2L * data.length + 6_000_000);
    assertThat(stats.proxyErrors()).isZero();
    assertThat(stats.methods()).containsEntry("POST", 2L).containsEntry("GET", 2L);
  }

  @Test
  void headNoContentNotModifiedAndUntilCloseAreFramedRight() throws Exception {
    try (ScriptedUpstream raw = new ScriptedUpstream(FaultProxyHttpTest::scripted)) {
      start(raw.uri(), "none");
      try (Socket s = connect()) {
        send(s, "HEAD /len1000 HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(readHead(s)).startsWith("HTTP/1.1 200").contains("Content-Length: 1000");
        send(s, "GET /204 HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(readHead(s)).startsWith("HTTP/1.1 204");
        send(s, "GET /304 HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(readHead(s)).startsWith("HTTP/1.1 304").contains("Content-Length: 55");
        send(s, "GET /ten HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(readHead(s)).startsWith("HTTP/1.1 200");
        assertThat(new String(s.getInputStream().readNBytes(10), ISO_8859_1))
            .isEqualTo("0123456789");
        send(s, "GET /until-close HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(readHead(s)).startsWith("HTTP/1.1 200");
        assertThat(s.getInputStream().readAllBytes()).isEqualTo(random(300_000, 3)); // then EOF
      }
      assertThat(raw.connections.get()).isEqualTo(1);
      assertThat(proxy.stats().proxyErrors()).isZero();
    }
  }

  @Test
  void expectContinueIsRelayedFromTheStore() throws Exception {
    start("none");
    byte[] data = random(200_000, 7);
    try (Socket s = connect()) {
      send(s, "PUT /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: "
          + data.length + "\r\n\r\n");
      assertThat(readHead(s)).startsWith("HTTP/1.1 100");
      s.getOutputStream().write(data);
      String head = readHead(s);
      assertThat(head).startsWith("HTTP/1.1 200");
      assertThat(s.getInputStream().readNBytes(data.length)).isEqualTo(data);
    }
    HttpResponse<byte[]> viaClient = client().send(request("/echo").expectContinue(true)
        .PUT(BodyPublishers.ofByteArray(data)).build(), BodyHandlers.ofByteArray());
    assertThat(viaClient.body()).isEqualTo(data);
  }

  @Test
  void aStoreRefusingBeforeContinueGetsItsAnswerThroughAndTheConnectionCloses() throws Exception {
    try (ScriptedUpstream raw = new ScriptedUpstream(FaultProxyHttpTest::scripted)) {
      start(raw.uri(), "none");
      try (Socket s = connect()) {
        send(s, "PUT /refuse HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
            + "Content-Length: 100000\r\n\r\n");
        String head = readHead(s);
        assertThat(head).startsWith("HTTP/1.1 403").contains("Connection: close");
        assertThat(new String(s.getInputStream().readAllBytes(), ISO_8859_1)).isEqualTo("nope!");
      }
    }
  }

  @Test
  void aClosedIdleStoreConnectionIsReplacedQuietly() throws Exception {
    try (ScriptedUpstream raw = new ScriptedUpstream(FaultProxyHttpTest::scripted)) {
      start(raw.uri(), "none");
      try (Socket s = connect()) {
        for (long pause : new long[] {0, 50, 400, 50}) {
          Thread.sleep(pause);
          send(s, "GET /once HTTP/1.1\r\nHost: h\r\n\r\n"); // the store closes after answering
          assertThat(readHead(s)).startsWith("HTTP/1.1 200");
          assertThat(s.getInputStream().readNBytes(2)).isEqualTo("ok".getBytes(ISO_8859_1));
        }
      }
      assertThat(raw.requests.get()).isEqualTo(4);
      assertThat(proxy.stats().proxyErrors()).isZero();
      assertThat(proxy.stats().connections()).isEqualTo(1);
    }
  }

  @Test
  void throttleAnswersLikeS3WithoutForwardingAndKeepsTheConnection() throws Exception {
    start("throttle=1,methods=PUT");
    int before = hits("/echo");
    HttpClient client = client();
    HttpResponse<String> r = client.send(request("/echo").PUT(BodyPublishers.ofByteArray(
        random(1 << 20, 2))).build(), BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("<Code>SlowDown</Code>");
    assertThat(r.headers().firstValue("x-amz-request-id")).isPresent();
    assertThat(hits("/echo")).isEqualTo(before);
    assertThat(get(client, "/bytes?n=10").statusCode()).isEqualTo(200);
    FaultStats stats = proxy.stats();
    assertThat(stats.count(FaultKind.THROTTLE)).isEqualTo(1);
    assertThat(stats.connections()).isEqualTo(1);
    assertThat(stats.bytesUpstream()).isZero();
  }

  @Test
  void throttleWithExpectAnswersInsteadOfContinue() throws Exception {
    start("throttle=1");
    int before = hits("/echo");
    try (Socket s = connect()) {
      send(s, "PUT /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
          + "Content-Length: 100000\r\n\r\n");
      String head = readHead(s);
      assertThat(head).startsWith("HTTP/1.1 503 Slow Down").contains("Connection: close");
      assertThat(new String(s.getInputStream().readAllBytes(), ISO_8859_1))
          .contains("<Code>SlowDown</Code>");
    }
    assertThat(hits("/echo")).isEqualTo(before);
  }

  @Test
  void throttleWithExpectContinueReadsTheBodyFirstAndKeepsTheConnection() throws Exception {
    start("throttle=1,methods=PUT,expect=continue");
    int before = hits("/echo");
    byte[] data = random(100_000, 8);
    try (Socket s = connect()) {
      send(s, "PUT /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
          + "Content-Length: " + data.length + "\r\n\r\n");
      assertThat(readHead(s)).startsWith("HTTP/1.1 100");
      s.getOutputStream().write(data);
      String head = readHead(s);
      assertThat(head).startsWith("HTTP/1.1 503 Slow Down").doesNotContain("Connection: close");
      int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
      assertThat(new String(s.getInputStream().readNBytes(length), ISO_8859_1))
          .contains("<Code>SlowDown</Code>");
      send(s, "GET /bytes?n=10 HTTP/1.1\r\nHost: h\r\n\r\n");
      assertThat(readHead(s)).startsWith("HTTP/1.1 200");
    }
    assertThat(hits("/echo")).isEqualTo(before);
    assertThat(proxy.stats().connections()).isEqualTo(1);
  }

  @Test
  void resetWhileReadingTheRequestBodyNeverReachesTheStore() throws Exception {
    start("reset=1:request,seed=3");
    int before = hits("/echo");
    byte[] data = random(8 << 20, 4);
    try (Socket s = connect()) {
      assertThatThrownBy(() -> {
        send(s, "PUT /echo HTTP/1.1\r\nHost: h\r\nContent-Length: " + data.length + "\r\n\r\n");
        s.getOutputStream().write(data);
        readHead(s);
      }).isInstanceOf(IOException.class);
    }
    assertThat(hits("/echo")).isEqualTo(before);
    assertThat(proxy.stats().count(FaultKind.RESET)).isEqualTo(1);
  }

  @Test
  void resetPartWayThroughAResponseBody() throws Exception {
    start("reset=1:response,seed=3");
    try (Socket s = connect()) {
      send(s, "GET /bytes?n=1000000 HTTP/1.1\r\nHost: h\r\n\r\n");
      assertThat(readHead(s)).startsWith("HTTP/1.1 200").contains("Content-length: 1000000");
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      assertThatThrownBy(() -> s.getInputStream().transferTo(got))
          .isInstanceOf(IOException.class).hasMessageContaining("reset");
      assertThat(got.size()).isLessThan(1_000_000);
      assertThat(got.toByteArray()).isEqualTo(Arrays.copyOf(random(1_000_000, 1_000_000),
          got.size()));
    }
    HttpClient client = client();
    assertThatThrownBy(() -> get(client, "/chunked?n=100000")).isInstanceOf(IOException.class);
  }

  @Test
  void aResetCutsTheBodyOfASmallChunkedAnswerNotOnlyItsLastChunk() throws Exception {
    start("reset=1:response,seed=11");
    for (int i = 0; i < 5; i++) {
      try (Socket s = connect()) {
        send(s, "GET /chunked?n=700 HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(readHead(s)).startsWith("HTTP/1.1 200").containsIgnoringCase(
            "Transfer-encoding: chunked");
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertThatThrownBy(() -> s.getInputStream().transferTo(got))
            .isInstanceOf(IOException.class);
        byte[] payload = dechunk(got.toByteArray());
        assertThat(payload.length).isLessThan(700);
        assertThat(payload).isEqualTo(Arrays.copyOf(random(700, 700), payload.length));
      }
    }
  }

  @Test
  void aStallInAChunkedAnswerKeepsItValid() throws Exception {
    start("stall=1:500ms");
    long t0 = System.nanoTime();
    assertThat(get(client(), "/chunked?n=150000").body()).isEqualTo(random(150_000, 150_000));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(450),
        Duration.ofSeconds(5));
  }

  @Test
  void resetRightAfterTheHeadersAndInsteadOfABodylessAnswer() throws Exception {
    start("reset=1:headers");
    try (Socket s = connect()) {
      send(s, "GET /bytes?n=1000 HTTP/1.1\r\nHost: h\r\n\r\n");
      assertThat(readHead(s)).startsWith("HTTP/1.1 200");
      assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(IOException.class);
    }
    try (Socket s = connect()) {
      send(s, "GET /status?code=204 HTTP/1.1\r\nHost: h\r\n\r\n");
      assertThatThrownBy(() -> readHead(s)).isInstanceOf(IOException.class);
    }
    assertThat(proxy.stats().count(FaultKind.RESET)).isEqualTo(2);
  }

  @Test
  void stallPausesTheResponse() throws Exception {
    start("stall=1:1s");
    long t0 = System.nanoTime();
    assertThat(get(client(), "/bytes?n=200000").body()).isEqualTo(random(200_000, 200_000));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(950),
        Duration.ofSeconds(5));
    assertThat(proxy.stats().count(FaultKind.STALL)).isEqualTo(1);
  }

  @Test
  void dripSendsTheBodySlowly() throws Exception {
    start("drip=1:256KiB/s");
    long t0 = System.nanoTime();
    assertThat(get(client(), "/bytes?n=262144").body()).isEqualTo(random(262_144, 262_144));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(900),
        Duration.ofSeconds(5));
  }

  @Test
  void downAnswersEveryRequestAfterTheSkippedOnes() throws Exception {
    start("down=500,skip=1");
    HttpClient client = client();
    int before = hits("/echo");
    assertThat(get(client, "/bytes?n=10").statusCode()).isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = client.send(request("/echo").PUT(BodyPublishers.ofString("x"))
          .build(), BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).contains("<Code>InternalError</Code>");
    }
    assertThat(hits("/echo")).isEqualTo(before);
    assertThat(proxy.stats().count(FaultKind.DOWN)).isEqualTo(3);
  }

  @Test
  void theAdminApiReconfiguresCountsAndResets() throws Exception {
    start("none");
    FaultAdmin admin = new FaultAdmin(proxy.admin());
    assertThat(admin.spec()).isEqualTo(FaultSpec.none());
    assertThat(admin.configure("throttle=1,methods=GET")).isEqualTo(
        FaultSpec.parse("methods=GET,throttle=1"));
    HttpClient client = client();
    assertThat(get(client, "/bytes?n=10").statusCode()).isEqualTo(503);
    FaultStats stats = admin.stats();
    assertThat(stats.count(FaultKind.THROTTLE)).isEqualTo(1);
    assertThat(stats.method("GET")).isEqualTo(1);
    assertThat(stats.spec()).isEqualTo("throttle=1,methods=GET");
    assertThatThrownBy(() -> admin.configure("throttle=2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad fault spec");
    admin.configure(FaultSpec.none());
    assertThat(get(client, "/bytes?n=10").statusCode()).isEqualTo(200);
    admin.resetStats();
    assertThat(admin.stats().requests()).isZero();
    assertThat(FaultStats.parse(admin.stats().toJson())).isEqualTo(admin.stats());
  }

  @Test
  void anUnreachableStoreIsA502FromTheProxy() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    start(URI.create("http://127.0.0.1:" + closedPort), "none");
    HttpResponse<byte[]> r = get(client(), "/x");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(proxy.stats().proxyErrors()).isEqualTo(1);
  }

  // ---- the proxy and clients

  private void start(String spec) throws IOException {
    start(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()), spec);
  }

  private void start(URI upstreamUri, String spec) throws IOException {
    proxy = FaultProxy.start(FaultProxy.Config.of(upstreamUri, StoreFlavour.S3)
        .withFaults(FaultSpec.parse(spec)));
  }

  private static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(proxy.endpoint().resolve(path)).timeout(Duration.ofSeconds(20));
  }

  private HttpResponse<byte[]> get(HttpClient client, String path) throws Exception {
    return client.send(request(path).GET().build(), BodyHandlers.ofByteArray());
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(proxy.endpoint().getHost(), proxy.endpoint().getPort());
    s.setSoTimeout(20_000);
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(ISO_8859_1));
    s.getOutputStream().flush();
  }

  private static String readHead(Socket s) throws IOException {
    String head = ScriptedUpstream.readHead(s.getInputStream());
    if (head == null) {
      throw new java.io.EOFException("no response");
    }
    return head;
  }

  /** The payload of complete chunks in {@code raw} (stops at the first incomplete one). */
  private static byte[] dechunk(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (true) {
      int eol = -1;
      for (int j = i; j + 1 < raw.length; j++) {
        if (raw[j] == '\r' && raw[j + 1] == '\n') {
          eol = j;
          break;
        }
      }
      if (eol < 0) {
        return out.toByteArray();
      }
      int size = Integer.parseInt(new String(raw, i, eol - i, ISO_8859_1).trim(), 16);
      int start = eol + 2;
      if (size == 0 || start + size + 2 > raw.length) {
        out.write(raw, start, Math.max(0, Math.min(size, raw.length - start)));
        return out.toByteArray();
      }
      out.write(raw, start, size);
      i = start + size + 2;
    }
  }

  private static int hits(String path) {
    return HITS.computeIfAbsent(path, p -> new AtomicInteger()).get();
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  // ---- the upstreams

  private static void answer(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      HITS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      String query = ex.getRequestURI().getQuery();
      byte[] body = ex.getRequestBody().readAllBytes();
      ex.getResponseHeaders().set("X-Seen-Host", ex.getRequestHeaders().getFirst("Host"));
      String te = ex.getRequestHeaders().getFirst("Transfer-Encoding");
      if (te != null) {
        ex.getResponseHeaders().set("X-Seen-Transfer-Encoding", te);
      }
      switch (path) {
        case "/echo" -> {
          ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
          ex.getResponseBody().write(body);
        }
        case "/bytes" -> {
          int n = Integer.parseInt(query.substring(2));
          ex.sendResponseHeaders(200, n);
          ex.getResponseBody().write(random(n, n));
        }
        case "/chunked" -> {
          int n = Integer.parseInt(query.substring(2));
          ex.sendResponseHeaders(200, 0);
          byte[] data = random(n, n);
          try (OutputStream out = ex.getResponseBody()) {
            for (int off = 0; off < n; off += 70_000) {
              out.write(data, off, Math.min(70_000, n - off));
              out.flush();
            }
          }
        }
        case "/status" -> ex.sendResponseHeaders(Integer.parseInt(query.substring(5)), -1);
        default -> ex.sendResponseHeaders(404, -1);
      }
    }
  }

  private static boolean scripted(String head, InputStream in, OutputStream out, Socket s)
      throws IOException {
    String target = head.split(" ")[1];
    String answer = switch (target) {
      case "/len1000" -> "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"; // HEAD: no body
      case "/204" -> "HTTP/1.1 204 No Content\r\n\r\n";
      case "/304" -> "HTTP/1.1 304 Not Modified\r\nContent-Length: 55\r\n\r\n";
      case "/ten" -> "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
      case "/until-close" -> "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n";
      case "/refuse" -> "HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\nnope!";
      case "/once" -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
      default -> "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    };
    out.write(answer.getBytes(ISO_8859_1));
    if (target.equals("/until-close")) {
      out.write(random(300_000, 3));
    }
    out.flush();
    return !target.equals("/until-close") && !target.equals("/refuse")
        && !target.equals("/once");
  }
}
