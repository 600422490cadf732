package io.skyplane.job.cli;

import io.skyplane.job.transfer.Location;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.planner.InfeasiblePlanException;
import io.skyplane.planner.TransferPlan;
import io.skyplane.planner.cli.PlanCommandLine;
import io.skyplane.planner.cli.PlanOptions;
import io.skyplane.planner.cli.PlanTable;
import io.skyplane.planner.io.PlanJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.annotation.Nullable;

/** The plan of a cp or sync: read from --plan, or made by the planner for --planner. */
final class Plans {
  private Plans() {}

  /** The plan the options name, or null when they name none. */
  @Nullable
  static TransferPlan load(TransferOptions o, TransferSpec spec, long bytes) {
    if (o.planFile != null && o.planner != null) {
      throw new IllegalArgumentException("give either --plan or --planner, not both");
    }
    if (o.planFile != null) {
      String json;
      try {
        json = Files.readString(o.planFile, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read plan '" + o.planFile + "': " + e.getMessage(), e);
      }
      try {
        return PlanJson.read(json);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("plan '" + o.planFile + "': " + firstLine(e.getMessage()), e);
      }
    }
    if (o.planner == null) {
      for (String option : new String[] {o.sourceRegion, o.destinationRegion, o.throughput, o.maxCost}) {
        if (option != null) {
          throw new IllegalArgumentException("--source-region, --destination-region, --throughput and --max-cost"
              + " need --planner");
        }
      }
      return null;
    }
    String kind = o.planner.toLowerCase(Locale.ROOT);
    boolean direct = kind.equals("direct");
    if (!direct && !kind.equals("min-cost") && !kind.equals("max-throughput")) {
      throw new IllegalArgumentException("--planner must be min-cost, max-throughput or direct, got '" + o.planner + "'");
    }
    if (kind.equals("min-cost") && o.throughput == null) {
      throw new IllegalArgumentException("--planner min-cost needs --throughput RATE (e.g. 10Gbps)");
    }
    if (kind.equals("max-throughput") && o.throughput != null) {
      throw new IllegalArgumentException("--planner max-throughput takes --max-cost, not --throughput");
    }
    if (kind.equals("min-cost") && o.maxCost != null) {
      throw new IllegalArgumentException("--planner min-cost takes --throughput, not --max-cost");
    }
    String source = region(o.sourceRegion, spec.source(), "--source-region", "SRC");
    String destination = region(o.destinationRegion, spec.destination(), "--destination-region", "DST");
    // at least a byte: the planner prices a volume
    String volume = String.format(Locale.ROOT, "%.9fGB", Math.max(bytes, 1) / 1e9);
    PlanOptions options = new PlanOptions(source, destination, volume, Optional.ofNullable(o.throughput),
        Optional.ofNullable(o.maxCost), Optional.ofNullable(o.grid), Optional.empty(),
        Optional.ofNullable(o.plannerConf), Optional.ofNullable(o.maxVmsPerRegion), Optional.empty(),
        Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(), direct, false);
    try {
      return PlanCommandLine.plan(options);
    } catch (InfeasiblePlanException e) {
      throw new IllegalArgumentException("no plan meets the goal: " + e.getMessage(), e);
    } catch (NoClassDefFoundError | UnsatisfiedLinkError e) {
      // flink run on a cluster whose client lacks OR-Tools (kept out of skyplane-job.jar)
      throw new IllegalArgumentException("--planner needs OR-Tools in this client (" + e.getMessage()
          + "): plan with 'skyplane plan ... --json > plan.json' and pass --plan plan.json,"
          + " or add job/target/lib/ortools-*.jar, jna-*.jar and protobuf-java-*.jar to the client's classpath", e);
    }
  }

  /** The plan as 'skyplane plan' prints it. */
  static String describe(TransferPlan plan) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      PlanTable.print(plan, out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String region(@Nullable String given, Location location, String option, String what) {
    if (given != null) {
      return given;
    }
    String scheme = location.store().scheme();
    String configured = location.store().options().get("region");
    if (scheme.equals("s3") && configured != null && !configured.isBlank()) {
      return configured.contains(":") ? configured : "aws:" + configured;
    }
    throw new IllegalArgumentException("--planner needs the region of " + what + " ('" + location.text()
        + "'): give " + option + " REGION, e.g. aws:us-east-1");
  }

  private static String firstLine(@Nullable String text) {
    return text == null ? "not a transfer plan" : text.lines().findFirst().orElse(text);
  }
}
