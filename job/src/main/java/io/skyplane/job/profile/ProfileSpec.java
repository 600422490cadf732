package io.skyplane.job.profile;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a profile measures and how; shipped to every task.
 *
 * @param links the ordered region pairs, in the order they are measured (one after another)
 * @param streams parallel subtasks on each side of a link: {@code streams} senders in the source
 *     region, {@code streams} receivers in the destination region, every sender feeding every
 *     receiver ({@code streams²} channels)
 * @param warmUp how long after its first byte a receiver ignores what arrives (TCP slow start,
 *     Flink's channels filling)
 * @param duration the steady window each receiver measures after the warm-up
 * @param rttProbes TCP connects per sender to the destination region's data port (the median is the
 *     RTT)
 * @param recordBytes bytes per record
 * @param targets per region, the data endpoints of its TaskManagers (senders of subtask {@code k}
 *     probe entry {@code k mod size}); a region without entries gets no RTT
 */
public record ProfileSpec(
    List<Link> links,
    int streams,
    Duration warmUp,
    Duration duration,
    int rttProbes,
    int recordBytes,
    Map<String, List<Endpoint>> targets)
    implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int MAX_STREAMS = 32;
  public static final int DEFAULT_RECORD_BYTES = 32 * 1024;

  public ProfileSpec {
    links = List.copyOf(requireNonNull(links, "links is null"));
    requireNonNull(warmUp, "warmUp is null");
    requireNonNull(duration, "duration is null");
    Map<String, List<Endpoint>> copy = new LinkedHashMap<>();
    requireNonNull(targets, "targets is null").forEach((region, endpoints) -> copy.put(region, List.copyOf(endpoints)));
    targets = Map.copyOf(copy);
    if (links.isEmpty()) {
      throw new IllegalArgumentException("a profile needs at least one link");
    }
    checkSettings(streams, warmUp, duration, rttProbes);
    if (recordBytes < 1024) {
      throw new IllegalArgumentException("records must be at least 1 KiB, got " + recordBytes);
    }
  }

  /**
   * Checks the settings a user gives.
   *
   * @throws IllegalArgumentException naming the option that is out of range
   */
  public static void checkSettings(int streams, Duration warmUp, Duration duration, int rttProbes) {
    if (streams < 1 || streams > MAX_STREAMS) {
      throw new IllegalArgumentException("--streams must be between 1 and " + MAX_STREAMS + ", got " + streams);
    }
    if (warmUp.isNegative()) {
      throw new IllegalArgumentException("--warm-up must not be negative, got " + warmUp.toMillis() + " ms");
    }
    if (duration.toMillis() < 100) {
      throw new IllegalArgumentException("--duration must be at least 100ms, got " + duration.toMillis() + " ms");
    }
    if (rttProbes < 1) {
      throw new IllegalArgumentException("--rtt-probes must be positive, got " + rttProbes);
    }
  }

  /** The regions of the links, in order of first appearance. */
  public List<String> regions() {
    return links.stream().flatMap(l -> Stream.of(l.source(), l.destination())).distinct().toList();
  }

  /** The endpoint sender {@code subtask} of a link into {@code region} probes, or null when none is known. */
  public Endpoint target(String region, int subtask) {
    List<Endpoint> endpoints = targets.getOrDefault(region, List.of());
    return endpoints.isEmpty() ? null : endpoints.get(subtask % endpoints.size());
  }
}
