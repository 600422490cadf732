package io.skyplane.testing.faults;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One client connection of the {@link FaultProxy}, served by its own thread: reads requests
 * (keep-alive), asks for a {@link Decision} per request, and either answers it with a store error,
 * resets the connection while reading the request body, or forwards it over this connection's own
 * upstream connection and streams the response back through a {@link ShapedSink}. Heads are
 * forwarded as received (Host included), bodies as received (chunked framing included).
 */
final class ProxyConnection implements Runnable {
  private static final int MAX_HEAD = 64 * 1024;
  private static final int IO_BUFFER = 64 * 1024;
  /** How long to wait for the store's 100 Continue before sending our own. */
  private static final int EXPECT_WAIT_MILLIS = 1000;
  private static final int DRAIN_MILLIS = 2000;
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(ISO_8859_1);

  /** One request as read from the client. */
  private record Exchange(long id, HttpHead head, String method, String target, Framing body,
      boolean expect, boolean keepAlive) {}

  private final FaultProxy proxy;
  private final Socket client;
  private final StoreLink store;
  private final byte[] copyBuffer = new byte[128 * 1024];
  private HttpIn clientIn;
  private OutputStream clientOut;
  private boolean drainBeforeClose;

  ProxyConnection(FaultProxy proxy, Socket client) {
    this.proxy = proxy;
    this.client = client;
    this.store = new StoreLink(proxy.upstreamAddress());
  }

  @Override
  public void run() {
    boolean graceful = false;
    try {
      client.setTcpNoDelay(true);
      clientIn = new HttpIn(client.getInputStream(), IO_BUFFER);
      clientOut = new BufferedOutputStream(client.getOutputStream(), IO_BUFFER);
      while (serve()) {
        // next request on this connection
      }
      graceful = true;
    } catch (InjectedReset e) {
      // the fault itself: reset below
    } catch (IOException | RuntimeException e) {
      if (!proxy.closing()) {
        proxy.debug("client connection " + client.getRemoteSocketAddress() + " ended: " + e);
      }
    } finally {
      store.close(!graceful);
      if (graceful) {
        closeGracefully();
      } else {
        reset(client);
      }
      proxy.closed(client);
    }
  }

  /** Serves one request; false when the connection is to be closed. */
  private boolean serve() throws IOException {
    HttpHead head;
    try {
      head = HttpHead.read(clientIn, MAX_HEAD);
    } catch (ProtocolException e) {
      return badRequest(e.getMessage());
    }
    if (head == null) {
      return false;
    }
    String[] parts = head.startLine().split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      return badRequest("bad request line: " + head.startLine());
    }
    Framing body;
    try {
      body = Framing.request(head);
    } catch (ProtocolException e) {
      return badRequest(e.getMessage());
    }
    boolean keepAlive = parts[2].equals("HTTP/1.0") ? head.hasToken("Connection", "keep-alive")
        : !head.hasToken("Connection", "close");
    boolean expect = body.hasBody() && head.hasToken("Expect", "100-continue");
    long id = proxy.nextRequestId();
    Exchange x = new Exchange(id, head, parts[0], parts[1], body, expect, keepAlive);
    Decision d = proxy.decide(id, x.method(), x.target(), body.hasBody());
    return switch (d.kind()) {
      case THROTTLE, ERROR, DOWN -> answer(x, d);
      case RESET -> d.phase() == Decision.Phase.REQUEST_BODY ? resetInRequestBody(x, d)
          : forward(x, d);
      default -> forward(x, d);
    };
  }

  /**
   * Answers with the store's error without forwarding. Reads the body first, unless the client
   * expects 100-continue and the spec says refuse: then the error replaces the 100 and the
   * connection closes, since the client may or may not send the body after it.
   */
  private boolean answer(Exchange x, Decision d) throws IOException {
    boolean refuse = x.expect() && !d.continueFirst();
    boolean close = refuse || !x.keepAlive();
    if (x.expect() && !refuse) {
      clientOut.write(CONTINUE);
      clientOut.flush();
    }
    if (!refuse && x.body().hasBody()) {
      BodyCopy.copy(clientIn, x.body(), new PlainSink(OutputStream.nullOutputStream(),
          new LongAdder()), copyBuffer);
    }
    send(StoreErrors.response(proxy.flavour(), d.kind() == FaultKind.THROTTLE, d.status(),
        x.head(), close), x.method().equals("HEAD"));
    drainBeforeClose = refuse;
    return !close;
  }

  /** Reads part of the request body (after a 100 Continue if asked), then resets. */
  private boolean resetInRequestBody(Exchange x, Decision d) throws IOException {
    if (x.expect()) {
      clientOut.write(CONTINUE);
      clientOut.flush();
    }
    ShapedSink discard = new ShapedSink(OutputStream.nullOutputStream(), d, x.body(),
        new LongAdder());
    BodyCopy.copy(clientIn, x.body(), discard, copyBuffer);
    throw new InjectedReset("in the request body"); // not reached: the sink resets by the end
  }

  private boolean forward(Exchange x, Decision d) throws IOException {
    HttpHead response = x.body().hasBody() ? sendWithBody(x, d) : sendWithoutBody(x);
    return response != null && relay(x, response, d, false);
  }

  /**
   * Sends a request without body and reads the final response head; a stale reused upstream
   * connection (closed by the store before any answer) is replaced once.
   */
  private HttpHead sendWithoutBody(Exchange x) throws IOException {
    IOException failure = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      boolean reused;
      try {
        reused = store.open();
      } catch (IOException e) {
        failure = e;
        break;
      }
      try {
        store.out().write(x.head().bytes());
        store.out().flush();
        return finalResponse();
      } catch (IOException e) {
        failure = e;
        store.close(true);
        if (!reused) {
          break;
        }
      }
    }
    upstreamFailed(x, failure);
    return null;
  }

  /**
   * Sends a request with its body; with {@code Expect: 100-continue} relays the store's 100 (or
   * sends one if the store says nothing within a second) before reading the body. Returns the
   * final response head, or null if the answer was already sent (an early final answer, a 502).
   */
  private HttpHead sendWithBody(Exchange x, Decision d) throws IOException {
    try {
      store.open();
      store.out().write(x.head().bytes());
      if (x.expect()) {
        store.out().flush();
      }
    } catch (IOException e) {
      store.close(true);
      upstreamFailed(x, e);
      return null;
    }
    if (x.expect()) {
      HttpHead early;
      try {
        early = awaitContinue();
      } catch (IOException e) {
        store.close(true);
        upstreamFailed(x, e);
        return null;
      }
      if (early != null) {
        relay(x, early, d, true);
        drainBeforeClose = true;
        return null;
      }
    }
    try {
      BodyCopy.copy(clientIn, x.body(), new PlainSink(store.out(), proxy.counters().bytesUpstream),
          copyBuffer);
      store.out().flush();
    } catch (SourceFailure e) {
      store.close(true); // the store sees a truncated request and drops it
      throw e;
    } catch (IOException e) {
      HttpHead early = tryReadHead(); // the store may have answered early (e.g. 403) and closed
      if (early != null) {
        relay(x, early, d, true);
        return null;
      }
      store.close(true);
      upstreamFailed(x, e);
      return null;
    }
    try {
      return finalResponse();
    } catch (IOException e) {
      store.close(true);
      upstreamFailed(x, e);
      return null;
    }
  }

  /** Null once a 100 went to the client (the store's or ours), else the store's final head. */
  private HttpHead awaitContinue() throws IOException {
    if (!store.in().awaitData(store.socket(), EXPECT_WAIT_MILLIS)) {
      clientOut.write(CONTINUE);
      clientOut.flush();
      return null;
    }
    while (true) {
      HttpHead h = readHead();
      int status = status(h);
      if (status == 100) {
        clientOut.write(h.bytes());
        clientOut.flush();
        return null;
      }
      if (status < 200) {
        continue; // other interim answers are not relayed
      }
      return h;
    }
  }

  /** The next non-interim response head of the store. */
  private HttpHead finalResponse() throws IOException {
    while (true) {
      HttpHead h = readHead();
      if (status(h) >= 200) {
        return h;
      }
    }
  }

  private HttpHead readHead() throws IOException {
    HttpHead h = HttpHead.read(store.in(), MAX_HEAD);
    if (h == null) {
      throw new EOFException("the store closed the connection without an answer");
    }
    return h;
  }

  private HttpHead tryReadHead() {
    try {
      store.socket().setSoTimeout(1000);
      return finalResponse();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Sends the store's response to the client with the decided fault applied to it; returns
   * whether both connections stay open for the next request.
   */
  private boolean relay(Exchange x, HttpHead response, Decision d, boolean forceClose)
      throws IOException {
    Framing framing;
    try {
      framing = Framing.response(response, x.method(), status(response));
    } catch (ProtocolException e) {
      store.close(true);
      upstreamFailed(x, e);
      return false;
    }
    boolean keep = !forceClose && x.keepAlive() && framing.type() != Framing.Type.UNTIL_CLOSE
        && !response.hasToken("Connection", "close")
        && (!response.version(false).equals("HTTP/1.0")
            || response.hasToken("Connection", "keep-alive"));
    HttpHead out = forceClose && !response.hasToken("Connection", "close")
        ? response.withConnectionClose() : response;
    if (!framing.hasBody()) {
      if (d.kind() == FaultKind.RESET) {
        store.close(false);
        throw new InjectedReset("instead of a response without body");
      }
      if (d.kind() == FaultKind.STALL) {
        sleep(d.stall().toMillis());
      }
    }
    clientOut.write(out.bytes());
    if (framing.hasBody()) {
      ShapedSink sink = new ShapedSink(clientOut, d, framing, proxy.counters().bytesDownstream);
      try {
        BodyCopy.copy(store.in(), framing, sink, copyBuffer);
      } catch (SourceFailure e) {
        proxy.counters().proxyErrors.increment();
        proxy.log("#" + x.id() + " " + x.method() + " " + FaultProxy.redact(x.target())
            + ": the store's response body failed: " + e.getMessage());
        store.close(true);
        throw e;
      } catch (IOException e) {
        store.close(true);
        throw e;
      }
    }
    clientOut.flush();
    if (keep) {
      store.idle();
    } else {
      store.close(false);
    }
    return keep;
  }

  private void upstreamFailed(Exchange x, IOException e) throws IOException {
    proxy.counters().proxyErrors.increment();
    String message = "the store at " + proxy.upstreamAddress() + " failed: " + e;
    proxy.log("#" + x.id() + " " + x.method() + " " + FaultProxy.redact(x.target()) + ": "
        + message + ", answered 502");
    send(StoreErrors.proxyError(502, message), x.method().equals("HEAD"));
  }

  private boolean badRequest(String message) throws IOException {
    proxy.counters().proxyErrors.increment();
    proxy.log("bad request from " + client.getRemoteSocketAddress() + ": " + message);
    send(StoreErrors.proxyError(400, message), false);
    return false;
  }

  private void send(StoreErrors.Response r, boolean headOnly) throws IOException {
    clientOut.write(r.head());
    if (!headOnly) {
      clientOut.write(r.body());
    }
    clientOut.flush();
  }

  private static int status(HttpHead response) throws ProtocolException {
    String[] parts = response.startLine().split(" ", 3);
    try {
      if (parts.length >= 2 && parts[0].startsWith("HTTP/")) {
        return Integer.parseInt(parts[1]);
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new ProtocolException("bad status line from the store: " + response.startLine());
  }

  /**
   * Flushes, sends FIN, and reads what the client still sends (briefly; longer after a refused
   * {@code Expect: 100-continue}, whose body may follow) so that closing does not reset.
   */
  private void closeGracefully() {
    try {
      clientOut.flush();
      client.shutdownOutput();
      InputStream in = client.getInputStream();
      if (drainBeforeClose || in.available() > 0 || clientIn.buffered() > 0) {
        client.setSoTimeout(DRAIN_MILLIS);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        byte[] sink = new byte[8192];
        while (System.nanoTime() < deadline && clientIn.read(sink, 0, sink.length) >= 0) {
          // discard
        }
      }
    } catch (SocketTimeoutException e) {
      // stop draining
    } catch (IOException | RuntimeException e) {
      // the client is gone already
    } finally {
      closeQuietly(client);
    }
  }

  static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (IOException e) {
      // closed already
    }
    closeQuietly(s);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
