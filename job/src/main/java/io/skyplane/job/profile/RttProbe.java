package io.skyplane.job.profile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Round-trip time by TCP connect: {@code connect()} returns when the SYN-ACK is back (the kernel
 * sends the final ACK without waiting), so its duration is one round trip plus a few microseconds
 * of system calls. No data is exchanged; the connection is closed at once (the TaskManager's data
 * server sees a client that leaves before asking for a partition). The address is resolved once,
 * before timing, and one connect is made and discarded first, so that class loading and the first
 * use of the socket code are not timed. Connects run one after another, while no profile data
 * flows, so they do not queue behind it.
 */
final class RttProbe {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private RttProbe() {}

  /** {@code count} timed connects to {@code target}; stops at the first failure, which it returns as a sample. */
  static List<RttSample> probe(Endpoint target, int count, int subtask) {
    List<RttSample> samples = new ArrayList<>();
    InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
    if (address.isUnresolved()) {
      samples.add(new RttSample(subtask, 0, "cannot resolve " + target.host()));
      return samples;
    }
    try {
      connect(address); // untimed: warms up
      for (int i = 0; i < count; i++) {
        samples.add(new RttSample(subtask, connect(address), null));
      }
    } catch (IOException e) {
      samples.add(new RttSample(subtask, 0, "connect to " + target + ": " + e.getMessage()));
    }
    return samples;
  }

  private static long connect(InetSocketAddress address) throws IOException {
    try (Socket socket = new Socket()) {
      long start = System.nanoTime();
      socket.connect(address, (int) CONNECT_TIMEOUT.toMillis());
      return System.nanoTime() - start;
    }
  }
}
