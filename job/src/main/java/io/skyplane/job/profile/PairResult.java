package io.skyplane.job.profile;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.annotation.Nullable;

/**
 * What the profile measured on one link.
 *
 * @param source the sending region
 * @param destination the receiving region
 * @param gbps payload goodput in Gbit/s (10^9 bit/s): the sum over receivers of the bytes in each
 *     one's steady window over its length (TCP/IP and Flink framing not counted, ~3-5 % on the wire)
 * @param rttMs the median TCP connect time to a data port of the destination region, in ms; null
 *     when no connect succeeded
 * @param bytes payload bytes in the receivers' steady windows
 * @param seconds the mean length of the receivers' windows
 * @param warmUpSeconds the longest warm-up a receiver left out (the configured one, or 25 RTTs)
 * @param rttSamples timed connects that succeeded
 * @param receivers receivers that reported
 * @param flowControlGbps the most Flink's credit-based flow control lets through at this RTT (the
 *     receivers' buffers once per round trip), null on the embedded cluster or without an RTT
 * @param notes what makes the figures less trustworthy, if anything
 */
public record PairResult(
    String source,
    String destination,
    double gbps,
    @Nullable Double rttMs,
    long bytes,
    double seconds,
    double warmUpSeconds,
    int rttSamples,
    int receivers,
    @Nullable Double flowControlGbps,
    List<String> notes) {
  /** A rate at or above this share of the flow-control bound may be the bound, not the link. */
  static final double NEAR_BOUND = 0.8;

  public PairResult {
    requireNonNull(source, "source is null");
    requireNonNull(destination, "destination is null");
    notes = List.copyOf(requireNonNull(notes, "notes is null"));
  }

  /** Whether bytes arrived in the steady window. */
  public boolean measured() {
    return gbps > 0;
  }

  /** Combines what the receivers and senders of {@code link} reported; {@code embedded}: one TaskManager stood for all regions. */
  public static PairResult of(Link link, int streams, List<WindowSample> windows, List<RttSample> rtts, boolean embedded) {
    double gbps = 0;
    long bytes = 0;
    long nanos = 0;
    long credit = 0;
    long warmUp = 0;
    int incomplete = 0;
    for (WindowSample w : windows) {
      if (w.nanos() > 0) {
        gbps += w.bytes() * 8.0 / w.nanos(); // bits per nanosecond = Gbit/s
      }
      bytes += w.bytes();
      nanos += w.nanos();
      credit += w.creditBytes();
      warmUp = Math.max(warmUp, w.warmUpNanos());
      incomplete += w.complete() ? 0 : 1;
    }
    List<String> notes = new ArrayList<>();
    if (windows.size() < streams) {
      notes.add("only " + windows.size() + " of " + streams + " receivers reported");
    }
    if (gbps <= 0) {
      notes.add("no bytes arrived in the steady window");
    } else if (incomplete > 0) {
      notes.add("data stopped before the window closed at " + incomplete + " receiver(s): a shorter window");
    }
    double rttNanos = medianNanos(rtts);
    rtts.stream().filter(r -> !r.ok()).map(RttSample::error).findFirst().ifPresent(e -> notes.add("RTT: " + e));
    Double bound = null;
    if (!embedded && !Double.isNaN(rttNanos) && rttNanos > 0 && credit > 0) {
      bound = credit * 8.0 / rttNanos;
      if (gbps >= NEAR_BOUND * bound) {
        notes.add(String.format(Locale.ROOT, "near the flow-control bound of %.3f Gbps at this RTT: the link may be"
            + " faster (more --streams, or a larger taskmanager.memory.segment-size)", bound));
      }
    }
    int ok = (int) rtts.stream().filter(RttSample::ok).count();
    return new PairResult(link.source(), link.destination(), gbps, Double.isNaN(rttNanos) ? null : rttNanos / 1e6,
        bytes, windows.isEmpty() ? 0 : nanos / 1e9 / windows.size(), warmUp / 1e9, ok, windows.size(), bound, notes);
  }

  /** The median duration of the successful samples, NaN when there is none. */
  static double medianNanos(List<RttSample> samples) {
    long[] nanos = samples.stream().filter(RttSample::ok).mapToLong(RttSample::nanos).sorted().toArray();
    if (nanos.length == 0) {
      return Double.NaN;
    }
    int mid = nanos.length / 2;
    return nanos.length % 2 == 1 ? nanos[mid] : (nanos[mid - 1] + nanos[mid]) / 2.0;
  }
}
