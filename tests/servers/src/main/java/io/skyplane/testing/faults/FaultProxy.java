package io.skyplane.testing.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A fault-injecting HTTP/1.1 reverse proxy in front of one object-store server (S3Proxy, Azurite,
 * the GCS server): forwards every request to the upstream and streams the answer back, byte for
 * byte, unless its {@link FaultSpec} picks a fault for the request (see {@link FaultKind}). One
 * thread per client connection, each with its own keep-alive connection to the store. Requests
 * keep their Host header, so SigV4 signatures made for the proxy's address still verify.
 *
 * <p>Usage: {@code java -cp skyplane-test-servers.jar io.skyplane.testing.faults.FaultProxy
 * --upstream http://HOST:PORT --store s3|gcs|azure [--host 127.0.0.1] [--port 0]
 * [--admin-port 0] [--faults SPEC] [--access-log]}. Once listening it prints one line
 * {@code FAULT_PROXY=http://HOST:PORT FAULT_ADMIN=http://HOST:PORT UPSTREAM=... STORE=...} and
 * one line per injected fault (per request with {@code --access-log}); it stops on SIGTERM.
 * The admin API is described in {@link AdminApi}.
 */
public final class FaultProxy implements AutoCloseable {
  /** Query parameters of signed URLs whose values stay out of the log (SAS, SigV4, GCS, OAuth). */
  private static final Pattern SECRET_QUERY = Pattern.compile("(?i)([?&](?:sig|signature"
      + "|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature"
      + "|x-goog-credential|access_token|token)=)[^&]*");

  private final Config config;
  private final ServerSocket server;
  private final InetSocketAddress upstreamAddress;
  private final ProxyStats stats = new ProxyStats();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong requestIds = new AtomicLong();
  private final AtomicLong connectionIds = new AtomicLong();
  private volatile FaultDecider decider;
  private volatile boolean closing;
  private AdminApi admin;

  /**
   * How to run a proxy.
   *
   * @param upstream the store's base URL, {@code http://HOST:PORT} (a path is ignored)
   * @param store whose error answers to imitate
   * @param bindAddress the address both ports listen on
   * @param port the proxy port, 0 for a free one
   * @param adminPort the admin port, 0 for a free one
   * @param faults the spec at start
   * @param accessLog whether to log every request (faulted ones are always logged)
   */
  public record Config(URI upstream, StoreFlavour store, String bindAddress, int port,
      int adminPort, FaultSpec faults, boolean accessLog) {
    public Config {
      Objects.requireNonNull(upstream, "upstream is null");
      Objects.requireNonNull(store, "store is null");
      Objects.requireNonNull(bindAddress, "bindAddress is null");
      Objects.requireNonNull(faults, "faults is null");
      if (!"http".equalsIgnoreCase(upstream.getScheme()) || upstream.getHost() == null
          || upstream.getPort() <= 0) {
        throw new IllegalArgumentException("upstream must be http://HOST:PORT: " + upstream);
      }
    }

    /** Loopback, free ports, no faults, no access log. */
    public static Config of(URI upstream, StoreFlavour store) {
      return new Config(upstream, store, "127.0.0.1", 0, 0, FaultSpec.none(), false);
    }

    public Config withFaults(FaultSpec spec) {
      return new Config(upstream, store, bindAddress, port, adminPort, spec, accessLog);
    }

    public Config withBind(String address, int proxyPort, int adminPortNumber) {
      return new Config(upstream, store, address, proxyPort, adminPortNumber, faults, accessLog);
    }

    public Config withAccessLog(boolean on) {
      return new Config(upstream, store, bindAddress, port, adminPort, faults, on);
    }
  }

  private FaultProxy(Config config, ServerSocket server) {
    this.config = config;
    this.server = server;
    this.upstreamAddress = new InetSocketAddress(config.upstream().getHost(),
        config.upstream().getPort());
    this.decider = new FaultDecider(config.faults(), config.store());
  }

  /** Starts listening on both ports; fails if a port is taken or the address is not local. */
  public static FaultProxy start(Config config) throws IOException {
    InetAddress bind = InetAddress.getByName(config.bindAddress());
    ServerSocket server = new ServerSocket();
    FaultProxy proxy;
    try {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(bind, config.port()), 512);
      proxy = new FaultProxy(config, server);
      proxy.admin = AdminApi.start(new InetSocketAddress(bind, config.adminPort()), proxy);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    Thread acceptor = new Thread(proxy::accept, "fault-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return proxy;
  }

  /** The proxy's base URL, {@code http://HOST:PORT}. */
  public URI endpoint() {
    return URI.create("http://" + urlHost() + ":" + server.getLocalPort());
  }

  /** The admin API's base URL. */
  public URI admin() {
    return URI.create("http://" + urlHost() + ":" + admin.port());
  }

  public URI upstream() {
    return config.upstream();
  }

  public StoreFlavour flavour() {
    return config.store();
  }

  /** The spec in force. */
  public FaultSpec spec() {
    return decider.spec();
  }

  /** Replaces the spec; its decision sequence starts afresh (seed, skip count). */
  public void configure(FaultSpec spec) {
    decider = new FaultDecider(spec, config.store());
    log("faults now: " + spec);
  }

  public FaultStats stats() {
    return stats.snapshot(decider.spec());
  }

  public void resetStats() {
    stats.reset();
  }

  @Override
  public void close() {
    closing = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    admin.close();
    open.forEach(ProxyConnection::reset);
  }

  public static void main(String[] args) throws Exception {
    URI upstream = null;
    StoreFlavour store = null;
    String host = "127.0.0.1";
    int port = 0;
    int adminPort = 0;
    FaultSpec spec = FaultSpec.none();
    boolean accessLog = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--upstream" -> upstream = URI.create(args[++i]);
        case "--store" -> store = StoreFlavour.parse(args[++i]);
        case "--host" -> host = args[++i];
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--admin-port" -> adminPort = Integer.parseInt(args[++i]);
        case "--faults" -> spec = FaultSpec.parse(args[++i]);
        case "--access-log" -> accessLog = true;
        case "-h", "--help" -> {
          System.out.println("usage: FaultProxy --upstream http://HOST:PORT --store s3|gcs|azure"
              + " [--host ADDR] [--port P] [--admin-port P] [--faults SPEC] [--access-log]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    if (upstream == null || store == null) {
      throw new IllegalArgumentException("--upstream and --store are required");
    }
    FaultProxy proxy = start(new Config(upstream, store, host, port, adminPort, spec, accessLog));
    Runtime.getRuntime().addShutdownHook(new Thread(proxy::close, "fault-proxy-stop"));
    System.out.println("FAULT_PROXY=" + proxy.endpoint() + " FAULT_ADMIN=" + proxy.admin()
        + " UPSTREAM=" + upstream + " STORE=" + store.key() + " FAULTS=" + spec);
    System.out.flush();
    new CountDownLatch(1).await();
  }

  // ---- for ProxyConnection

  InetSocketAddress upstreamAddress() {
    return upstreamAddress;
  }

  ProxyStats counters() {
    return stats;
  }

  boolean closing() {
    return closing;
  }

  long nextRequestId() {
    return requestIds.incrementAndGet();
  }

  /** Decides, counts and logs one request. */
  Decision decide(long id, String method, String target, boolean hasBody) {
    Decision d = decider.decide(method, target, hasBody);
    stats.request(method, d.kind());
    if (d.kind() != FaultKind.NONE || config.accessLog()) {
      log("#" + id + " " + method + " " + redact(target) + " -> " + d.describe());
    }
    return d;
  }

  /** The request target with the values of signature and token query parameters masked. */
  static String redact(String target) {
    return SECRET_QUERY.matcher(target).replaceAll("$1***");
  }

  void closed(Socket s) {
    open.remove(s);
  }

  void log(String line) {
    System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + line);
  }

  void debug(String line) {
    if (config.accessLog()) {
      log(line);
    }
  }

  private void accept() {
    while (!closing) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        if (!closing) {
          log("accept failed: " + e);
        }
        return;
      }
      stats.connections.increment();
      open.add(s);
      Thread t = new Thread(new ProxyConnection(this, s),
          "fault-proxy-" + connectionIds.incrementAndGet());
      t.setDaemon(true);
      t.start();
    }
  }

  private String urlHost() {
    String h = config.bindAddress();
    if (h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]")) {
      h = "127.0.0.1";
    }
    return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
  }
}
