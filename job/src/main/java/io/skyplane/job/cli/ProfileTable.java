package io.skyplane.job.cli;

import io.skyplane.job.profile.PairResult;
import io.skyplane.job.profile.ProfileReport;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints a profile as a readable table. */
final class ProfileTable {
  private ProfileTable() {}

  static void print(ProfileReport report, PrintWriter out) {
    ProfileReport.Settings s = report.settings();
    out.printf(Locale.ROOT, "Profile of %d regions on %s: %d streams per pair, %.1f s measured after %.1f s warm-up"
        + " (%.1f s in all)%n%n", report.regions().size(),
        report.embedded() ? "the embedded cluster" : "the cluster at " + report.cluster(), s.streams(),
        s.durationSeconds(), s.warmUpSeconds(), report.seconds());
    out.printf(Locale.ROOT, "  %-48s %9s %9s %10s %11s%n", "SRC -> DST", "GBPS", "RTT MS", "FC BOUND", "BYTES");
    for (PairResult p : report.pairs()) {
      out.printf(Locale.ROOT, "  %-48s %9s %9s %10s %11s%n", p.source() + " -> " + p.destination(),
          p.measured() ? String.format(Locale.ROOT, "%.3f", p.gbps()) : "-",
          p.rttMs() == null ? "-" : String.format(Locale.ROOT, "%.2f", p.rttMs()),
          p.flowControlGbps() == null ? "-" : String.format(Locale.ROOT, "%.3f", p.flowControlGbps()),
          ByteSize.format(p.bytes()));
      for (String note : p.notes()) {
        out.println("      note: " + note);
      }
    }
    out.println();
    out.println("  GBPS: payload goodput (10^9 bit/s); RTT: median TCP connect time to a data port of DST;");
    out.println("  FC BOUND: the rate Flink's credit-based flow control guarantees at that RTT (2 x N x N buffers");
    out.println("  per round trip); a GBPS near it may be that window rather than the link.");
    if (report.embedded()) {
      out.println("  Embedded cluster: in-memory exchange in one JVM and loopback RTTs, not a network measurement.");
    }
    out.flush();
  }
}
