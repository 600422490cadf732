package io.skyplane.job.cli;

import io.skyplane.job.source.SourceTotals;
import io.skyplane.job.transfer.ClusterTarget;
import io.skyplane.job.transfer.EarlyStart;
import io.skyplane.job.transfer.StartupClock;
import io.skyplane.planner.TransferPlan;
import io.skyplane.job.transfer.TransferReport;
import io.skyplane.job.transfer.TransferRunner;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.job.transfer.Location;
import io.skyplane.job.uri.ObjectUri;
import io.skyplane.job.uri.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skyplane cp SRC DST}: copies a file or (with -r) a tree, verified end to end. */
@Command(
    name = "cp",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Copy SRC to DST through the Flink chunk pipeline: read ranges, compress, exchange,",
      "decompress, write, verify (CRC32C per frame, chunk and object), commit each object once.",
      "",
      "With -r, the contents of the directory (or key prefix) SRC go under DST (DST/relative/key).",
      "A single object goes to DST, or into DST when DST is a directory or ends with '/'.",
      "Files are written to a temporary name and renamed into place only when verified; store",
      "objects are put in one request or uploaded in parts (one per chunk) and completed once;",
      "a failed object leaves no partial object and no open multipart upload."
    })
final class CopyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SRC",
      description = "Source: a path, file://, s3://BUCKET/key, gs://BUCKET/key, azure://ACCOUNT/CONTAINER/key.")
  String source;

  @Parameters(index = "1", paramLabel = "DST", description = "Destination: a path or store URI, as SRC.")
  String destination;

  @Option(names = {"-r", "--recursive"}, description = "Copy a directory tree.")
  boolean recursive;

  @Mixin TransferOptions options;

  @Mixin DeployFlow.Options deploy;

  @Spec CommandSpec command;

  @Override
  public Integer call() throws Exception {
    StartupClock.begin("options parsed");
    try {
      return copy();
    } finally {
      EarlyStart.discard(); // a run took it; else bad input or a failure came first
    }
  }

  private int copy() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    TransferSpec spec;
    SourceTotals listed;
    ClusterTarget target;
    DeployFlow flow;
    TransferPlan plan = null;
    try {
      TransferSpec checked = validate();
      prestartCluster(checked);
      flow = deploy.prepare("cp", options, checked.source(), checked.destination(), out, err);
      target = flow == null ? options.target() : ClusterTarget.context(); // --deploy: the deployed cluster, later
      // One streaming pass: each object is checked as it is listed, only running counts are kept.
      listed = SourceTotals.scan(checked, null, Locations.objectChecks(checked.destination(), checked),
          options.listedSoFar(err));
      StartupClock.mark("source listed");
      Locations.checkDestinationStore(checked.destination(), checked, listed.largest());
      long bytes = listed.bytes();
      if (flow == null) {
        spec = options.planned(checked, bytes, target, err);
      } else {
        TransferOptions.Planned planned = options.routed(checked, bytes, err);
        spec = planned.spec();
        plan = planned.plan();
      }
      if (spec.destination().isLocal() && !spec.singleObject()) {
        Files.createDirectories(Path.of(spec.destinationRoot()));
      }
    } catch (IllegalArgumentException | UncheckedIOException | IOException e) {
      err.println("skyplane cp: error: " + message(e));
      return SkyplaneCli.EXIT_BAD_INPUT;
    }
    SourceTotals objects = listed;
    if (flow != null) {
      return flow.run(plan, spec, (routed, cluster) -> transfer(routed, cluster, objects, out, err));
    }
    return transfer(spec, target, objects, out, err);
  }

  /**
   * Under bin/skyplane, without a plan or --jobmanager, once the options are checked: starts the
   * embedded cluster now, in the background, so that it is up by the time Flink is loaded and the
   * source is listed (about a second on 2 cores). A plan's cluster waits for the plan; bad input
   * found later closes it again (see {@link #call}).
   */
  private void prestartCluster(TransferSpec checked) {
    if (Boolean.getBoolean(EarlyStart.LAUNCHER_PROPERTY) && options.jobManager == null && !options.hasPlan()) {
      Configuration overrides = options.jobConfiguration();
      EarlyStart.prestart(() -> TransferRunner.configuration(checked.parallelism(), null, overrides, true));
    }
  }

  /** Runs the transfer on {@code target}, prints its summary (and JSON report); the exit code. */
  private int transfer(TransferSpec spec, ClusterTarget target, SourceTotals objects, PrintWriter out,
      PrintWriter err) throws InterruptedException, IOException {
    TransferReport report = options.run(spec, target, source, destination, objects, null, err);
    ReportOutput.summary(report, out, err);
    if (options.json != null) {
      ReportOutput.json(report, options.json, out);
    }
    out.flush();
    err.flush();
    return ReportOutput.exitCode(report);
  }

  static String message(Exception e) {
    Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
    String text = cause.getMessage();
    return text == null ? cause.getClass().getSimpleName() : text.lines().findFirst().orElse(text);
  }

  /** Checks the input and resolves what goes where; nothing is written. */
  TransferSpec validate() {
    List<ObjectUri> uris = Locations.parse(source, destination);
    ObjectUri src = uris.get(0);
    ObjectUri dst = uris.get(1);
    StoreConfig stores = options.stores();
    // options first: a bad option is reported even when the locations are bad too
    options.spec(Location.local(Path.of("/"), false, "/"), Location.local(Path.of("/"), false, "/"), false);
    if (src.isLocal()) {
      return validateLocalSource(src, dst, stores);
    }
    boolean tree = recursive;
    Location from = stores.locate(src, !tree);
    if (!tree && (from.prefix().isEmpty() || from.prefix().endsWith("/"))) {
      throw new IllegalArgumentException("source '" + source + "' names a prefix, not an object (use -r to copy a tree)");
    }
    Location to = destination(dst, stores, tree, from.prefix());
    Locations.checkStoreOverlap(from, to, !tree);
    return options.spec(from, to, !tree);
  }

  private TransferSpec validateLocalSource(ObjectUri src, ObjectUri dst, StoreConfig stores) {
    Path from = src.localPath();
    if (!Files.exists(from)) {
      throw new IllegalArgumentException("source does not exist: '" + source + "'");
    }
    boolean tree = Files.isDirectory(from);
    if (tree && !recursive) {
      throw new IllegalArgumentException("source is a directory: '" + source + "' (use -r to copy a tree)");
    }
    if (!dst.isLocal()) {
      return options.spec(Location.local(from, !tree, source),
          destination(dst, stores, tree, from.getFileName().toString()), !tree);
    }
    Path to = dst.localPath();
    if (tree) {
      Locations.checkTree(from, to, source, destination);
      return options.spec(Location.local(from, false, source), Location.local(to, false, destination), false);
    }
    if (Files.isDirectory(to) || dst.endsWithSeparator()) {
      to = to.resolve(from.getFileName());
    }
    if (Files.isDirectory(to)) {
      throw new IllegalArgumentException("destination is a directory: '" + to + "'");
    }
    if (Locations.real(to).equals(Locations.real(from))) {
      throw new IllegalArgumentException("source and destination are the same file: '" + source + "'");
    }
    if (to.getParent() != null && Files.exists(to.getParent()) && !Files.isDirectory(to.getParent())) {
      throw new IllegalArgumentException("destination parent is not a directory: '" + to.getParent() + "'");
    }
    return options.spec(Location.local(from, true, source), Location.local(to, true, destination), true);
  }

  /** Where a tree, or a single object whose source key or file name is {@code sourceName}, goes. */
  private Location destination(ObjectUri dst, StoreConfig stores, boolean tree, String sourceName) {
    if (dst.isLocal()) {
      Path to = dst.localPath();
      if (tree) {
        if (Files.exists(to) && !Files.isDirectory(to)) {
          throw new IllegalArgumentException("destination is a file, not a directory: '" + destination + "'");
        }
        return Location.local(to, false, destination);
      }
      if (Files.isDirectory(to) || dst.endsWithSeparator()) {
        to = to.resolve(baseName(sourceName));
      }
      if (Files.isDirectory(to)) {
        throw new IllegalArgumentException("destination is a directory: '" + to + "'");
      }
      return Location.local(to, true, destination);
    }
    Location to = stores.locate(dst, !tree);
    if (!tree && (to.prefix().isEmpty() || to.prefix().endsWith("/"))) {
      to = new Location(to.store(), to.prefix() + baseName(sourceName), destination);
    }
    return to;
  }

  private static String baseName(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }
}
