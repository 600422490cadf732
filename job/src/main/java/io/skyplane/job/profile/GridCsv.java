package io.skyplane.job.profile;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Writes a profile as a throughput grid the planner reads ({@code --grid}; {@code
 * io.skyplane.planner.grid.GridLoader}): comment lines saying how it was measured, the header
 * {@code src,dst,gbps,rtt_ms} and extra columns the loader ignores, one row per measured ordered
 * pair. A pair without a measurement gets no row (the planner reads a missing pair as no usable
 * link) and is named in a comment; an RTT that could not be taken is an empty cell.
 */
public final class GridCsv {
  public static final List<String> HEADER =
      List.of("src", "dst", "gbps", "rtt_ms", "bytes", "seconds", "rtt_samples", "streams", "flow_control_gbps");

  private GridCsv() {}

  public static void write(ProfileReport report, PrintWriter out) {
    ProfileReport.Settings s = report.settings();
    out.println("# Measured by 'skyplane profile' with a Flink job on " + report.cluster() + ": per ordered pair, "
        + s.streams() + " senders to " + s.streams() + " receivers,");
    out.printf(Locale.ROOT, "# one pair at a time; gbps = payload goodput over %.1f s after a warm-up of %.1f s or 25"
        + " RTTs; rtt_ms = median TCP connect time to a data port of dst.%n", s.durationSeconds(), s.warmUpSeconds());
    if (report.embedded()) {
      out.println("# EMBEDDED: one TaskManager in one JVM stood for every region; these are not network figures.");
    }
    for (PairResult p : report.pairs()) {
      if (!p.measured()) {
        out.println("# not measured: " + p.source() + " -> " + p.destination() + " (" + String.join("; ", p.notes()) + ")");
      }
    }
    out.println(String.join(",", HEADER));
    for (PairResult p : report.pairs()) {
      if (p.measured()) {
        out.println(row(p, s.streams()));
      }
    }
    out.flush();
  }

  static String row(PairResult p, int streams) {
    return String.format(Locale.ROOT, "%s,%s,%.6f,%s,%d,%.3f,%d,%d,%s", p.source(), p.destination(), p.gbps(),
        p.rttMs() == null ? "" : String.format(Locale.ROOT, "%.3f", p.rttMs()), p.bytes(), p.seconds(),
        p.rttSamples(), streams,
        p.flowControlGbps() == null ? "" : String.format(Locale.ROOT, "%.6f", p.flowControlGbps()));
  }
}
