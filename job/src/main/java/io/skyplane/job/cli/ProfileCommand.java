package io.skyplane.job.cli;

import io.skyplane.job.profile.GridCsv;
import io.skyplane.job.profile.Link;
import io.skyplane.job.profile.ProfileCluster;
import io.skyplane.job.profile.ProfileReport;
import io.skyplane.job.profile.ProfileRunner;
import io.skyplane.job.profile.ProfileSpec;
import io.skyplane.planner.cli.OptionRanges;
import io.skyplane.planner.region.RegionId;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code skyplane profile}: measures throughput and RTT between the regions of a running cluster. */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measure throughput (Gbps) and round-trip time (ms) between every ordered",
      "pair of regions of the cluster with a Flink job of its own, and write a",
      "throughput grid for 'skyplane plan --grid'.",
      "",
      "Per pair SRC->DST, N senders pinned to SRC's TaskManagers send random",
      "(incompressible) records through a Flink network exchange to N receivers",
      "pinned to DST's. Pairs run one after another: a pair starts when the one",
      "before has received everything. Each receiver leaves out a warm-up after",
      "its first record (TCP slow start: --warm-up, or 25 RTTs when longer), then",
      "counts the bytes of a steady window (--duration); Gbps is the sum over the",
      "receivers of window bytes / window length (payload goodput). RTT: before",
      "sending, each sender times TCP connects (SYN to SYN-ACK) to a data port of",
      "DST's TaskManagers; the median is reported.",
      "",
      "Flink's credit-based flow control guarantees 2 buffers of 32 KiB in flight",
      "per channel, 2 x N x N per pair (2.25 MiB for N = 6): the FC BOUND column",
      "is that window per RTT. A rate near it may be the window, not the link:",
      "raise --streams, or the TaskManagers' taskmanager.memory.segment-size.",
      "Flink opens one TCP connection per pair of TaskManagers, so with one",
      "TaskManager per region the figure is one TCP flow's, under the kernel's",
      "congestion control.",
      "",
      "On a cluster: flink run skyplane-job.jar profile ... (regions default to",
      "every region the TaskManagers advertise). Without one, a TaskManager in",
      "this JVM stands for every --regions entry: in-memory figures and loopback",
      "RTTs for tests, not a network measurement."
    },
    footer = {
      "",
      "Exit codes: 0 every pair measured; 1 some pairs not measured (left out of",
      "            the grid); 2 bad input (nothing submitted); 3 the job failed."
    })
final class ProfileCommand implements Callable<Integer> {
  /** --duration: 100ms..1h. */
  static final Duration MAX_DURATION = Duration.ofHours(1);
  /** --warm-up: 0..10min. */
  static final Duration MAX_WARM_UP = Duration.ofMinutes(10);
  /** --rtt-probes: 1..100. */
  static final int MAX_RTT_PROBES = 100;

  @Option(names = "--regions", split = ",", paramLabel = "REGION",
      description = "Regions to profile, e.g. aws:us-east-1,gcp:europe-west4 (default on a cluster: every region its"
          + " TaskManagers advertise; required on the embedded cluster).")
  List<String> regions;

  @Option(names = "--duration", paramLabel = "TIME", defaultValue = "5s",
      description = "Steady window measured per pair, after the warm-up, 100ms..1h (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--warm-up", paramLabel = "TIME", defaultValue = "1s",
      description = "Time after a receiver's first record that is not counted (TCP slow start); at least 25 RTTs"
          + " of the pair; 0..10min (default: ${DEFAULT-VALUE}).")
  String warmUp;

  @Option(names = "--streams", paramLabel = "N", defaultValue = "6",
      description = "Senders and receivers per pair, 1.." + ProfileSpec.MAX_STREAMS + "; each region needs N slots"
          + " (default: ${DEFAULT-VALUE}).")
  int streams;

  @Option(names = "--rtt-probes", paramLabel = "N", defaultValue = "5",
      description = "Timed TCP connects per sender, 1..100 (default: ${DEFAULT-VALUE}).")
  int rttProbes;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write the grid (CSV: src,dst,gbps,rtt_ms,...) to FILE ('-' for stdout; the table then goes to stderr).")
  String output;

  @Option(names = "--json", paramLabel = "FILE", description = "Write a JSON report to FILE ('-' for stdout).")
  String json;

  @Spec CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    ProfileReport report;
    try {
      Duration window = Durations.parse(duration, "--duration", Duration.ofMillis(100), MAX_DURATION);
      Duration warm = Durations.parse(warmUp, "--warm-up", Duration.ZERO, MAX_WARM_UP);
      OptionRanges.check("--streams", streams, 1, ProfileSpec.MAX_STREAMS);
      OptionRanges.check("--rtt-probes", rttProbes, 1, MAX_RTT_PROBES);
      ProfileSpec.checkSettings(streams, warm, window, rttProbes);
      List<String> requested = regions == null ? null : regionIds(regions);
      checkOutput(output, "--output");
      checkOutput(json, "--json");
      try (ProfileCluster cluster = ProfileCluster.connect()) {
        List<String> chosen = cluster.regions(requested, streams, w -> warn(err, w));
        ProfileSpec spec = new ProfileSpec(Link.everyPair(chosen), streams, warm, window, rttProbes,
            ProfileSpec.DEFAULT_RECORD_BYTES, cluster.targets(chosen));
        spec.targets().forEach((region, endpoints) -> {
          if (endpoints.isEmpty()) {
            warn(err, "the REST API gives no data port of a TaskManager in " + region + ": no RTT into it");
          }
        });
        if (cluster.embedded()) {
          warn(err, "embedded cluster: one TaskManager in this JVM stands for every region; the figures are in-memory"
              + " rates and loopback RTTs, not a network measurement (use flink run against a cluster)");
        }
        err.printf(Locale.ROOT, "Profiling %s: %d ordered pairs one after another, %d streams each, %.1f s warm-up"
            + " + %.1f s measured per pair%n", String.join(", ", chosen), spec.links().size(), streams,
            warm.toMillis() / 1000.0, window.toMillis() / 1000.0);
        err.flush();
        report = ProfileRunner.run(spec, cluster);
      }
    } catch (IllegalArgumentException | UncheckedIOException | IOException e) {
      err.println("skyplane profile: error: " + CopyCommand.message(e));
      return SkyplaneCli.EXIT_BAD_INPUT;
    }
    boolean gridToStdout = "-".equals(output);
    ProfileTable.print(report, gridToStdout ? err : out);
    if (output != null) {
      if (gridToStdout) {
        GridCsv.write(report, out);
      } else {
        try (PrintWriter file = new PrintWriter(Files.newBufferedWriter(Path.of(output), StandardCharsets.UTF_8))) {
          GridCsv.write(report, file);
        }
        err.println("Grid written to " + output + " (skyplane plan --grid " + output + ")");
      }
    }
    if (json != null) {
      ReportOutput.json(report, json, out);
    }
    if (!report.error().isEmpty()) {
      err.println("skyplane profile: error: the profile job failed: " + report.error());
    } else if (!report.succeeded()) {
      err.println("skyplane profile: error: no measurement for " + report.pairs().stream()
          .filter(p -> !p.measured()).map(p -> p.source() + " -> " + p.destination()).toList());
    }
    out.flush();
    err.flush();
    return !report.error().isEmpty() ? SkyplaneCli.EXIT_JOB_FAILED
        : report.succeeded() ? SkyplaneCli.EXIT_OK : SkyplaneCli.EXIT_OBJECTS_FAILED;
  }

  /** Canonical region ids, each once. */
  static List<String> regionIds(List<String> names) {
    List<String> ids = new ArrayList<>();
    for (String name : names) {
      if (name.isBlank()) {
        continue;
      }
      String id = RegionId.parse(name).toString();
      if (ids.contains(id)) {
        throw new IllegalArgumentException("--regions names " + id + " twice");
      }
      ids.add(id);
    }
    return ids;
  }

  private static void checkOutput(String file, String option) {
    if (file == null || file.equals("-")) {
      return;
    }
    Path path = Path.of(file).toAbsolutePath();
    if (Files.isDirectory(path)) {
      throw new IllegalArgumentException(option + " names a directory: '" + file + "'");
    }
    if (!Files.isDirectory(path.getParent())) {
      throw new IllegalArgumentException(option + ": no directory '" + path.getParent() + "' to write '" + file + "' in");
    }
  }

  private static void warn(PrintWriter err, String warning) {
    err.println("skyplane profile: warning: " + warning);
    err.flush();
  }
}
