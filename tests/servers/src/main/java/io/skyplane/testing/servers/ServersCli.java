package io.skyplane.testing.servers;

import io.skyplane.testing.faults.FaultSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command line behind {@code tests/servers/start} and {@code stop}.
 *
 * <pre>
 * start [s3] [azure] [gcs] --state DIR [--bind ADDR] [--netns NS] [--gcs-heap 256m] [--faults SPEC]
 *   starts the servers (all three if none named) detached, data under DIR/data-KIND, logs in
 *   DIR/data-KIND.log; prints KEY=VALUE endpoint lines and writes them to DIR/env; pids to DIR/pids.
 *   With --faults each server gets a fault proxy (log DIR/faults-KIND.log) and the endpoint
 *   variables name the proxy; the direct ones get DIRECT_ (S3_DIRECT_ENDPOINT), the admin API is
 *   FAULT_ADMIN_S3|AZURE|GCS
 * stop --state DIR
 *   stops the pids in DIR/pids and removes DIR
 * </pre>
 */
public final class ServersCli {
  private ServersCli() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println("usage: start [s3] [azure] [gcs] --state DIR [--bind ADDR] [--netns NS]"
          + " [--gcs-heap SIZE] [--faults SPEC] | stop --state DIR");
      return;
    }
    List<String> kinds = new ArrayList<>();
    ServerOptions options = ServerOptions.loopback();
    Path state = null;
    String gcsHeap = null;
    FaultSpec faults = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--state" -> state = Path.of(args[++i]);
        case "--bind" -> options = options.withBind(args[++i]);
        case "--netns" -> options = options.withNetns(args[++i]);
        case "--gcs-heap" -> gcsHeap = args[++i];
        case "--faults" -> faults = FaultSpec.parse(args[++i]);
        case "s3", "azure", "gcs" -> kinds.add(args[i]);
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    if (state == null) {
      throw new IllegalArgumentException("--state DIR is required");
    }
    switch (args[0]) {
      case "start" -> start(kinds.isEmpty() ? List.of("s3", "azure", "gcs") : kinds, options,
          gcsHeap, faults, state);
      case "stop" -> stop(state);
      default -> throw new IllegalArgumentException("unknown command: " + args[0]);
    }
  }

  private static void start(List<String> kinds, ServerOptions options, String gcsHeap,
      FaultSpec faults, Path state) throws IOException {
    Files.createDirectories(state);
    Map<String, String> env = new LinkedHashMap<>();
    List<RunningServer<?>> started = new ArrayList<>();
    try {
      for (String kind : kinds) {
        ServerOptions o = options.withDataDir(state.resolve("data-" + kind));
        RunningServer<?> s = switch (kind) {
          case "s3" -> LocalServers.s3(o);
          case "azure" -> LocalServers.azurite(o);
          default -> LocalServers.gcs(gcsHeap == null ? o : o.withHeap(gcsHeap));
        };
        started.add(s);
        appendPid(state, s.pid());
        if (faults == null) {
          env.putAll(s.endpoint().env());
        } else {
          RunningFaultProxy<?> proxy = FaultProxies.start(s.endpoint(), faults,
              FaultProxies.flavourOf(s.endpoint()),
              options.withDataDir(state.resolve("faults-" + kind)));
          started.add(proxy.process());
          appendPid(state, proxy.process().pid());
          env.putAll(proxy.env());
        }
      }
    } catch (RuntimeException e) {
      started.forEach(RunningServer::close);
      throw e;
    }
    started.forEach(RunningServer::detach);
    StringBuilder lines = new StringBuilder();
    env.forEach((k, v) -> lines.append(k).append('=').append(shellQuote(v)).append('\n'));
    Files.writeString(state.resolve("env"), lines);
    System.out.print(lines);
  }

  private static void appendPid(Path state, long pid) throws IOException {
    Files.writeString(state.resolve("pids"), pid + "\n", java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private static void stop(Path state) throws IOException {
    Path pids = state.resolve("pids");
    if (Files.exists(pids)) {
      for (String line : Files.readAllLines(pids)) {
        if (line.isBlank()) {
          continue;
        }
        ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(p -> {
          p.destroy();
          try {
            p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
          } catch (Exception e) {
            p.destroyForcibly();
          }
        });
      }
    }
    RunningServer.deleteTree(state);
  }

  private static String shellQuote(String v) {
    return v.matches("[A-Za-z0-9_./:=+-]*") ? v : "'" + v.replace("'", "'\\''") + "'";
  }
}
