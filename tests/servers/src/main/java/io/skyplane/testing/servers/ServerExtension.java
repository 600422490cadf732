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
 */
public abstract class ServerExtension<E extends ServerEndpoint>
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {
  private final Class<E> type;
  private final ServerOptions options;
  private RunningServer<E> server;
  private boolean perTest;

  ServerExtension(Class<E> type, ServerOptions options) {
    this.type = Objects.requireNonNull(type, "type is null");
    this.options = Objects.requireNonNull(options, "options is null");
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
    if (server == null) {
      server = start(options);
    }
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
