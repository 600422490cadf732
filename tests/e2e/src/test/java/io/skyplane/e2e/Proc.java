package io.skyplane.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command as its own process, as a user would, and captures what it printed. */
record Proc(int exitCode, String out, String err) {
  static final Path ROOT = Path.of(System.getProperty("skyplane.root", "../..")).toAbsolutePath().normalize();

  static Proc run(Path workDir, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("proc", ".out");
    Path err = Files.createTempFile("proc", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("timed out: " + command);
    }
    Proc result = new Proc(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return result;
  }

  /** {@code bash ROOT/bin/skyplane ARGS...}: the launcher as a user runs it. */
  static List<String> skyplane(List<String> args) {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("bin/skyplane").toString()));
    command.addAll(args);
    return command;
  }

  /**
   * {@code command} run with SIGINT and SIGTERM at their default action, as in a terminal: a child
   * inherits an ignored signal (a JVM started in the background by a non-interactive shell, as CI
   * and some Maven runs are, ignores SIGINT), and a JVM keeps ignoring what it was started
   * ignoring. Perl resets the dispositions and execs the command, so the pid stays the command's.
   */
  static List<String> withDefaultSignals(List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("perl", "-e",
        "$SIG{INT} = $SIG{TERM} = 'DEFAULT'; exec {$ARGV[0]} @ARGV or die \"exec: $!\\n\";"));
    wrapped.addAll(command);
    return wrapped;
  }

  /**
   * Starts {@code command} in the background; its stdout and stderr go to {@code name.out} and
   * {@code name.err} in {@code outputDir}.
   */
  static Started start(Path workDir, Map<String, String> env, List<String> command, Path outputDir, String name)
      throws IOException {
    Files.createDirectories(outputDir);
    Path out = outputDir.resolve(name + ".out");
    Path err = outputDir.resolve(name + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    return new Started(builder.start(), out, err, System.nanoTime());
  }

  /** A command started by {@link #start}: its process, where its output goes, when it started. */
  record Started(Process process, Path out, Path err, long startNanos) {
    long pid() {
      return process.pid();
    }

    boolean alive() {
      return process.isAlive();
    }

    /** Sends {@code kill -NAME} (INT, TERM, KILL, ...) to the process. */
    void signal(String name) throws IOException, InterruptedException {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid() + " failed (exit " + kill.exitValue() + ")");
      }
    }

    /** Whether it ended within {@code timeout}. */
    boolean waitFor(Duration timeout) throws InterruptedException {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits (at most {@code timeout}) for it to end; its exit code and output. Kills it and throws if it runs on. */
    Proc await(Duration timeout) throws IOException, InterruptedException {
      if (!waitFor(timeout)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("did not end within " + timeout + "; killed\n" + output());
      }
      return new Proc(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    }

    /** What it printed so far, stdout then stderr. */
    String output() throws IOException {
      return "--- out\n" + Files.readString(out, StandardCharsets.UTF_8)
          + "--- err\n" + Files.readString(err, StandardCharsets.UTF_8);
    }
  }

  /** Whether {@code binary} is an executable on the PATH. */
  static boolean onPath(String binary) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, binary))) {
        return true;
      }
    }
    return false;
  }

  /** A TCP port free at the moment of asking. */
  static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  String[] errLines() {
    return err.isBlank() ? new String[0] : err.strip().split("\\R");
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }
}
