package io.skyplane.testing.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a server command with its output in a log file and waits for its "ready" log line, which
 * works the same inside a network namespace (where this JVM cannot probe the port). A server that
 * exits before it is ready (e.g. its port was taken meanwhile) is retried on another port.
 */
final class ProcessLauncher {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final int ATTEMPTS = 4;

  /** A command for a port and data folder, and how to make the endpoint from the ready line. */
  record Plan<E>(List<String> command, Function<Matcher, E> endpoint) {}

  @FunctionalInterface
  interface Planner<E> {
    Plan<E> plan(int port, Path data) throws IOException;
  }

  private ProcessLauncher() {}

  static <E extends ServerEndpoint> RunningServer<E> launch(String name, ServerOptions o,
      Pattern ready, Planner<E> planner) {
    boolean owns = o.dataDir() == null;
    Path root = owns ? LocalServers.createTempRoot(name) : o.dataDir();
    Path data = owns ? root.resolve("data") : root;
    Path log = owns ? root.resolve(name + ".log")
        : root.resolveSibling(root.getFileName() + ".log");
    IllegalStateException failure = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      int port = o.port() != 0 ? o.port() : freePort(o, name);
      try {
        Files.createDirectories(data);
        Plan<E> plan = planner.plan(port, data);
        List<String> cmd = new ArrayList<>();
        if (o.netns() != null) {
          cmd.addAll(List.of("ip", "netns", "exec", o.netns()));
        }
        cmd.addAll(plan.command());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        Matcher m = awaitReady(p, log, ready);
        if (m != null) {
          return new RunningServer<>(name, plan.endpoint().apply(m), p, root, owns, log);
        }
        failure = new IllegalStateException(name + " did not start (" + String.join(" ", cmd)
            + "), log:\n" + tail(log));
        p.destroyForcibly();
        p.waitFor();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start " + name, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting " + name, e);
      }
      if (o.port() != 0) {
        break;
      }
    }
    if (owns) {
      RunningServer.deleteTree(root);
    }
    throw failure;
  }

  /** Polls the log until the ready pattern shows, the process exits, or the timeout passes. */
  private static Matcher awaitReady(Process p, Path log, Pattern ready)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = ready.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
      if (m.find()) {
        return m;
      }
      if (!p.isAlive()) {
        return null;
      }
      Thread.sleep(50);
    }
    return null;
  }

  /**
   * A free port on the bind address; inside a namespace (not visible from here) a random high
   * port, which the retry loop replaces if it turns out to be taken.
   */
  private static int freePort(ServerOptions o, String name) {
    if (o.netns() != null) {
      return ThreadLocalRandom.current().nextInt(20000, 60000);
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getByName(o.bindAddress()), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + o.bindAddress() + " for " + name, e);
    }
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log, StandardCharsets.ISO_8859_1);
      return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
