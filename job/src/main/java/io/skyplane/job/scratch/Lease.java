package io.skyplane.job.scratch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Who runs a transfer into this destination, and since when it was last seen alive: claimed by the
 * client before it submits the job (naming no process), then written by the job itself when it
 * starts and every {@link #HEARTBEAT} after (by its report operator, on a TaskManager, which lives
 * as long as the job's data moves). A run is dead when its heartbeat is older than {@link #TTL}, or
 * at once when the lease names this host and a process that is gone.
 *
 * @param run the run id
 * @param host the host name of the process that keeps the lease
 * @param pid that process's id, or 0 when the lease names no process (the client's claim before
 *     the job takes the lease over): then only the heartbeat tells
 * @param processStartMillis when that process started (tells a reused pid apart)
 * @param startedMillis when the run started
 * @param heartbeatMillis when the lease was last written
 * @param destination the destination as the user wrote it (no secrets: a URI or a path)
 */
public record Lease(String run, String host, long pid, long processStartMillis, long startedMillis,
    long heartbeatMillis, String destination) {
  public static final Duration HEARTBEAT = Duration.ofSeconds(10);
  public static final Duration TTL = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String THIS_HOST = hostName();

  public Lease {
    requireNonNull(run, "run is null");
    requireNonNull(host, "host is null");
    requireNonNull(destination, "destination is null");
  }

  /** Whether the run that holds a lease can still be running. */
  public enum Liveness {
    ALIVE,
    /** The heartbeat stopped longer than {@link #TTL} ago. */
    STALE,
    /** The process named by the lease runs on this host and is gone. */
    PROCESS_GONE
  }

  /** A lease for this process. */
  public static Lease ofThisProcess(String run, String destination, long nowMillis) {
    ProcessHandle self = ProcessHandle.current();
    long started = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    return new Lease(run, THIS_HOST, self.pid(), started, nowMillis, nowMillis, destination);
  }

  /** The same lease, seen alive at {@code nowMillis}. */
  public Lease beat(long nowMillis) {
    return new Lease(run, host, pid, processStartMillis, startedMillis, nowMillis, destination);
  }

  public Liveness liveness(long nowMillis) {
    if (nowMillis - heartbeatMillis > TTL.toMillis()) {
      return Liveness.STALE;
    }
    if (pid > 0 && host.equals(THIS_HOST)) {
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      boolean same = process.isPresent() && process.get().isAlive()
          && (processStartMillis == 0 || process.get().info().startInstant()
              .map(i -> Math.abs(i.toEpochMilli() - processStartMillis) < 1_000).orElse(true));
      if (!same) {
        return Liveness.PROCESS_GONE;
      }
    }
    return Liveness.ALIVE;
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a lease as JSON", e);
    }
  }

  static Lease parse(byte[] json) throws IOException {
    return JSON.readValue(json, Lease.class);
  }

  /** This host's name, as leases record it. */
  public static String thisHost() {
    return THIS_HOST;
  }

  private static String hostName() {
    String fromEnvironment = System.getenv("HOSTNAME");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
