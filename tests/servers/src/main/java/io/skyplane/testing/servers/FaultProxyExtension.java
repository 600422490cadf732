package io.skyplane.testing.servers;

import io.skyplane.testing.faults.FaultSpec;
import io.skyplane.testing.faults.FaultStats;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a fault proxy in front of the server of a {@link ServerExtension}
 * (starting that server first if it is not running yet, and stopping it afterwards).
 *
 * <pre>
 * &#64;RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();
 * &#64;RegisterExtension static final FaultProxyExtension&lt;S3Endpoint&gt; FAULTY =
 *     new FaultProxyExtension&lt;&gt;(S3, FaultSpec.parse("throttle=0.1,seed=7"));
 * ... FAULTY.endpoint() (through the proxy), FAULTY.upstream() (direct), FAULTY.configure("reset=1")
 * </pre>
 *
 * <p>On a static field the proxy lives for the class, and before each test its spec goes back to
 * the one given here (a fresh decision sequence) and its counters to zero; on an instance field it
 * lives for one test. It resolves no parameters (the server extension resolves the direct endpoint).
 *
 * <p>In front of a shared server ({@link ServerExtension#isShared()}) the proxy is shared too: one
 * proxy process per shared server and proxy options, set back to this extension's spec (with its
 * counters at zero) for each test class and each test, stopped when the test run ends.
 */
public final class FaultProxyExtension<E extends ServerEndpoint>
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final ServerExtension<E> server;
  private final FaultSpec spec;
  private final ServerOptions options;
  private static final ExtensionContext.Namespace SHARED =
      ExtensionContext.Namespace.create(FaultProxyExtension.class, "shared");

  private RunningFaultProxy<E> proxy;
  private boolean perTest;
  private boolean borrowed;

  /** A transparent proxy (no faults until {@link #configure}). */
  public FaultProxyExtension(ServerExtension<E> server) {
    this(server, FaultSpec.none());
  }

  public FaultProxyExtension(ServerExtension<E> server, FaultSpec spec) {
    this(server, spec, ServerOptions.loopback());
  }

  /** With options for the proxy process (bind address, netns, heap). */
  public FaultProxyExtension(ServerExtension<E> server, FaultSpec spec, ServerOptions options) {
    this.server = Objects.requireNonNull(server, "server is null");
    this.spec = Objects.requireNonNull(spec, "spec is null");
    this.options = Objects.requireNonNull(options, "options is null");
  }

  /** The store's endpoint through the proxy; fails outside the extension's lifetime. */
  public E endpoint() {
    return proxy().endpoint();
  }

  /** The store's own endpoint. */
  public E upstream() {
    return proxy().upstream();
  }

  public RunningFaultProxy<E> proxy() {
    if (proxy == null) {
      throw new IllegalStateException("FaultProxyExtension is not running");
    }
    return proxy;
  }

  public FaultStats stats() {
    return proxy().stats();
  }

  public FaultSpec configure(FaultSpec newSpec) {
    return proxy().configure(newSpec);
  }

  public FaultSpec configure(String newSpec) {
    return proxy().configure(newSpec);
  }

  public void resetStats() {
    proxy().resetStats();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server.beforeAll(context);
    if (proxy != null) {
      return; // a @Nested class: the outer class's proxy
    }
    if (server.isShared()) {
      proxy = borrow(context);
      borrowed = true;
    } else {
      proxy = start();
    }
  }

  @SuppressWarnings("unchecked")
  private RunningFaultProxy<E> borrow(ExtensionContext context) {
    String key = server.server().pid() + " " + options; // one proxy per server process
    RunningFaultProxy<E> p = (RunningFaultProxy<E>) context.getRoot().getStore(SHARED)
        .getOrComputeIfAbsent(key, k -> start(), RunningFaultProxy.class);
    if (!p.process().isAlive()) {
      throw new IllegalStateException("the shared fault proxy has stopped; see " + p.log());
    }
    p.configure(spec);
    p.resetStats();
    return p;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (proxy == null) {
      server.beforeEach(context);
      proxy = start();
      perTest = true;
    } else if (!perTest) {
      proxy.configure(spec);
      proxy.resetStats();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      stop();
      server.afterEach(context);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (borrowed) {
      if (context.getRequiredTestClass().getEnclosingClass() == null) {
        proxy = null;
        borrowed = false;
      }
    } else {
      stop();
    }
    server.afterAll(context);
  }

  private RunningFaultProxy<E> start() {
    E upstream = server.endpoint();
    return FaultProxies.start(upstream, spec, FaultProxies.flavourOf(upstream), options);
  }

  private void stop() {
    RunningFaultProxy<E> p = proxy;
    proxy = null;
    perTest = false;
    if (p != null) {
      p.close();
    }
  }
}
