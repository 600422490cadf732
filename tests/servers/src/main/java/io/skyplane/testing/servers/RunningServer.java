package io.skyplane.testing.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server process started by {@link LocalServers}. {@link #close()} stops it (SIGTERM, then
 * SIGKILL after 10 s) and removes its data folder if the launcher created it. A JVM shutdown hook
 * does the same if the owner never closes it, unless {@link #detach()} was called.
 */
public final class RunningServer<E extends ServerEndpoint> implements AutoCloseable {
  private final String name;
  private final E endpoint;
  private final Process process;
  private final Path dataDir;
  private final boolean ownsData;
  private final Path log;
  private volatile Thread hook;
  private final java.util.concurrent.atomic.AtomicBoolean stopped =
      new java.util.concurrent.atomic.AtomicBoolean();

  RunningServer(
      String name, E endpoint, Process process, Path dataDir, boolean ownsData, Path log) {
    this.name = Objects.requireNonNull(name, "name is null");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint is null");
    this.process = Objects.requireNonNull(process, "process is null");
    this.dataDir = dataDir;
    this.ownsData = ownsData;
    this.log = log;
    this.hook = new Thread(this::stop, "stop-" + name);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  public E endpoint() {
    return endpoint;
  }

  public long pid() {
    return process.pid();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The server's stdout and stderr. */
  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Leaves the process running after this JVM exits (for the start script). */
  public void detach() {
    Thread h = hook;
    hook = null;
    if (h != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(h);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down; the hook runs or has run
      }
    }
  }

  @Override
  public void close() {
    detach();
    stop();
  }

  @Override
  public String toString() {
    return name + "[pid " + process.pid() + ", " + endpoint.endpoint() + "]";
  }

  private void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    if (ownsData && dataDir != null) {
      deleteTree(dataDir);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove " + dir, e);
    }
  }
}
