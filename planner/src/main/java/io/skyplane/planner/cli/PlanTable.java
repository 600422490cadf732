package io.skyplane.planner.cli;

import io.skyplane.planner.TransferPlan;
import io.skyplane.planner.region.RegionId;
import java.io.PrintStream;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints a plan as readable tables. */
public final class PlanTable {

  private PlanTable() {}

  public static void print(TransferPlan plan, PrintStream out) {
    out.printf(Locale.ROOT, "Plan (%s): %s -> %s, %s, goal: %s%n", plan.formulation(), plan.source(),
        plan.destinations().stream().map(RegionId::toString).collect(Collectors.joining(", ")),
        size(plan.volumeGb()), plan.goal());
    out.println();
    out.printf(Locale.ROOT, "  %-32s %-11s %-18s %5s %5s%n", "REGION", "ROLE", "INSTANCE", "VMS", "TMS");
    for (TransferPlan.Node n : plan.regions()) {
      out.printf(Locale.ROOT, "  %-32s %-11s %-18s %5d %5d%n", n.region(), n.role(), n.instanceType(), n.vms(), n.taskManagers());
    }
    out.println();
    out.printf(Locale.ROOT, "  %-60s %8s %6s %10s %7s%n", "EDGE", "GBPS", "CONNS", "GRID/VM", "$/GB");
    for (TransferPlan.Edge e : plan.edges()) {
      out.printf(Locale.ROOT, "  %-60s %8.2f %6d %10.2f %7.4f%n", e.src() + " -> " + e.dst(), e.gbps(),
          e.connections(), e.gridGbpsPerVmPair(), e.usdPerGb());
    }
    out.println();
    out.printf(Locale.ROOT, "  %-6s %8s  %s%n", "SHARE", "GBPS", "PATH");
    for (TransferPlan.Path p : plan.paths()) {
      out.printf(Locale.ROOT, "  %5.1f%% %8.2f  %s%n", 100 * p.weight(), p.gbps(),
          p.hops().stream().map(RegionId::toString).collect(Collectors.joining(" -> ")));
    }
    out.println();
    out.printf(Locale.ROOT, "  %-8s %10s %10s %5s %10s %10s %10s%n", "", "GBPS", "TIME", "VMS", "EGRESS $", "VM $", "TOTAL $");
    row(out, "plan", plan.figures());
    if (plan.direct() != null) {
      row(out, "direct", plan.direct());
      var f = plan.figures();
      var d = plan.direct();
      out.printf(Locale.ROOT, "%n  speed-up %.2fx, cost %.2fx of direct%s%n",
          f.throughputGbps() / d.throughputGbps(), f.totalUsd() / d.totalUsd(),
          plan.directMeetsGoal() ? "" : " (direct cannot meet the goal; shown: its fastest plan)");
    } else {
      out.printf("%n  no direct edge in the grid: no direct baseline%n");
    }
    out.printf(Locale.ROOT, "  time excludes %.0f s provisioning per VM, which the VM $ includes; solver: %s%n",
        plan.figures().provisioningSeconds(), plan.solver());
  }

  private static void row(PrintStream out, String name, TransferPlan.Figures f) {
    out.printf(Locale.ROOT, "  %-8s %10.2f %10s %5d %10.2f %10.2f %10.2f%n", name, f.throughputGbps(),
        duration(f.transferSeconds()), f.vms(), f.egressUsd(), f.vmUsd(), f.totalUsd());
  }

  static String duration(double seconds) {
    if (seconds < 10) {
      return String.format(Locale.ROOT, "%.1fs", seconds);
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  static String size(double gb) {
    return gb >= 1000 ? String.format(Locale.ROOT, "%.3g TB", gb / 1000) : String.format(Locale.ROOT, "%.4g GB", gb);
  }
}
