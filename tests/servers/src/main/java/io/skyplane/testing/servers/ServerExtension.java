package io.skyplane.testing.servers;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs one server process. Registered on a static field (or with
 * {@code @ExtendWith}) the server lives for the test class; on an instance field, for each test.
 * Test and lifecycle methods can take the endpoint record as a parameter.
 *
 * <p>A <em>shared</em> extension (e.g. {@link S3ServerExtension#shared()}) on a static field uses
 * one server for every test class of the JVM that asks for the same kind with the same options: the
 * first class starts it, each later class finds it emptied (no bucket, object, open upload or
 * uncommitted block: {@link ServerContents}), and it stops when the test run ends. Classes that
 * stop, restart or inspect their server's process or log take a server of their own.
 */
public abstract class ServerExtension<E extends ServerEndpoint>
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {
  private static final ExtensionContext.Namespace SHARED =
      ExtensionContext.Namespace.create(ServerExtension.class, "shared");

  private final Class<E> type;
  private final ServerOptions options;
  private final boolean shared;
  private RunningServer<E> server;
  private boolean perTest;
  private boolean borrowed;

  ServerExtension(Class<E> type, ServerOptions options, boolean shared) {
    this.type = Objects.requireNonNull(type, "type is null");
    this.options = Objects.requireNonNull(options, "options is null");
    this.shared = shared;
  }

  /** Whether this extension borrows the JVM's shared server of its kind (see the class comment). */
  public boolean isShared() {
    return shared;
  }

  protected abstract RunningServer<E> start(ServerOptions options);

  /** The running server's endpoint; fails if called outside the extension's lifetime. */
  public E endpoint() {
    return server().endpoint();
  }

  public RunningServer<E> server() {
    if (server == null) {
      throw new IllegalStateException(getClass().getSimpleName() + " is not running");
    }
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (server != null) {
      return; // a @Nested class: the outer class's server
    }
    if (shared) {
      server = borrow(context);
      borrowed = true;
    } else {
      server = start(options);
    }
  }

  /**
   * The JVM's shared server for this kind and these options, started on first use (and stopped by
   * JUnit when the run ends: the root context's store closes it), emptied for every later class.
   */
  @SuppressWarnings("unchecked")
  private RunningServer<E> borrow(ExtensionContext context) {
    ExtensionContext.Store store = context.getRoot().getStore(SHARED);
    String key = getClass().getName() + " " + options;
    boolean[] started = {false};
    RunningServer<E> s = (RunningServer<E>) store.getOrComputeIfAbsent(key, k -> {
      started[0] = true;
      return start(options);
    }, RunningServer.class);
    if (!s.isAlive()) {
      throw new IllegalStateException("the shared " + getClass().getSimpleName()
          + " server has stopped (a test class must not stop a shared server); see " + s.log());
    }
    if (!started[0]) {
      ServerContents.empty(s);
    }
    return s;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (server == null) {
      server = start(options);
      perTest = true;
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      stop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (borrowed) {
      if (context.getRequiredTestClass().getEnclosingClass() == null) {
        server = null; // the class is done; the next one empties the server before its use
        borrowed = false;
      }
      return;
    }
    stop();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == type;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    beforeEach(context);
    return endpoint();
  }

  private void stop() {
    RunningServer<E> s = server;
    server = null;
    perTest = false;
    if (s != null) {
      s.close();
    }
  }
}
