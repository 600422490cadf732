package io.skyplane.job.cli;

import io.skyplane.job.source.DestinationListing;
import io.skyplane.job.transfer.ClusterTarget;
import io.skyplane.job.transfer.StartupClock;
import io.skyplane.job.transfer.Location;
import io.skyplane.planner.TransferPlan;
import io.skyplane.job.uri.StoreConfig;
import io.skyplane.job.source.SourceObject;
import io.skyplane.job.source.SourceTotals;
import io.skyplane.job.sync.ContentComparison;
import io.skyplane.job.sync.ContentReaders;
import io.skyplane.job.sync.SyncPlan;
import io.skyplane.job.sync.SyncPlanner;
import io.skyplane.job.sync.SyncReport;
import io.skyplane.job.transfer.TransferReport;
import io.skyplane.job.transfer.TransferRunner;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.job.uri.ObjectUri;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skyplane sync SRC DST}: makes the tree DST match SRC, copying only what differs. */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Copy the objects of SRC that are missing from DST or differ (size; then the",
      "stores' CRC32C when both report one, else modification time: a local copy",
      "keeps the source's, a store copy must not be older), through the same verified",
      "pipeline as cp. Re-running a completed sync copies nothing. A same-size edit",
      "whose modification time was put back is not seen without --checksum.",
      "With --delete, objects of DST missing from SRC are deleted after the copy",
      "succeeded (at most --max-delete of them; more stops the sync before anything",
      "is done)."
    })
final class SyncCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SRC", description = "Source directory or prefix: a path or store URI.")
  String source;

  @Parameters(index = "1", paramLabel = "DST", description = "Destination directory or prefix: a path or store URI.")
  String destination;

  @Option(names = "--delete", description = "Delete destination objects that are missing from the source.")
  boolean delete;

  @Option(names = "--max-delete", paramLabel = "N", defaultValue = "100",
      description = "With --delete: refuse to delete more than N objects, -1 (no limit) or 0 and up"
          + " (default: ${DEFAULT-VALUE}).")
  long maxDelete;

  @Option(names = {"-c", "--checksum"},
      description = "Compare objects of equal size by content (CRC32C), never by modification time. The stores'"
          + " listed CRC32C is used where both sides have one (GCS; Azure blobs skyplane wrote); otherwise this"
          + " client reads the object on each side lacking one (-p threads): with files or S3 on both sides that"
          + " is every same-size object read once more on both sides before anything is copied.")
  boolean checksum;

  @Option(names = {"-n", "--dry-run"}, description = "Print what would be copied and deleted; change nothing.")
  boolean dryRun;

  @Mixin TransferOptions options;

  @Mixin DeployFlow.Options deploy;

  @Spec CommandSpec command;

  /** Bytes --checksum read. */
  private long bytesChecksummed;

  @Override
  public Integer call() throws Exception {
    StartupClock.begin("options parsed");
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    TransferSpec spec;
    TransferSpec routed;
    SyncPlan plan;
    ClusterTarget target;
    DeployFlow flow;
    TransferPlan transferPlan = null;
    String checksumNote = null;
    try {
      if (maxDelete < -1) {
        throw new IllegalArgumentException("--max-delete must be -1 (no limit) or at least 0, got " + maxDelete);
      }
      List<ObjectUri> uris = Locations.parse(source, destination);
      StoreConfig stores = options.stores();
      ObjectUri src = uris.get(0);
      ObjectUri dst = uris.get(1);
      Location from = stores.locate(src, false);
      Location to = stores.locate(dst, false);
      spec = options.spec(from, to, false);
      flow = deploy.prepare("sync", options, from, to, out, err);
      target = flow == null ? options.target() : ClusterTarget.context(); // --deploy: the deployed cluster, later
      if (src.isLocal() && dst.isLocal()) {
        Locations.checkTree(src.localPath(), dst.localPath(), source, destination);
      } else if (src.isLocal() && !Files.isDirectory(src.localPath())) {
        throw new IllegalArgumentException("source is not a directory: '" + source + "'");
      }
      Locations.checkStoreOverlap(from, to, false);
      List<SourceObject> here = TransferRunner.list(spec, null);
      here.forEach(o -> Locations.checkSource(spec, o));
      List<SourceObject> there = DestinationListing.list(spec);
      StartupClock.mark("source and destination listed");
      if (checksum) {
        try (ContentReaders readers = ContentReaders.of(spec)) {
          ContentComparison content =
              new ContentComparison(readers.source(), readers.destination(), spec.parallelism());
          plan = SyncPlanner.plan(here, there, delete, !to.isLocal(), content);
          bytesChecksummed = content.bytesRead();
          checksumNote = "Compared same-size objects by CRC32C: read " + content.objectsRead() + " objects ("
              + ByteSize.format(content.bytesRead()) + ")";
        }
      } else {
        plan = SyncPlanner.plan(here, there, delete, !to.isLocal());
      }
      if (maxDelete >= 0 && plan.deletions().size() > maxDelete) {
        throw new IllegalArgumentException("sync would delete " + plan.deletions().size()
            + " objects, more than --max-delete " + maxDelete + "; nothing was changed");
      }
      if (to.isLocal()) {
        here.forEach(o -> spec.destinationOf(o.key())); // refuses keys that are not plain paths
      }
      SourceTotals copies = SourceTotals.of(
          plan.copies().stream().map(SyncPlan.Copy::object).collect(Collectors.toList()));
      for (SyncPlan.Copy copy : plan.copies()) {
        Locations.checkMarker(to, copy.object());
      }
      Locations.checkDestinationStore(to, spec, copies.largest());
      if (plan.copies().isEmpty()) {
        routed = spec;
      } else if (flow == null) {
        routed = options.planned(spec, plan.bytesToCopy(), target, err);
      } else {
        TransferOptions.Planned planned = options.routed(spec, plan.bytesToCopy(), err);
        routed = planned.spec();
        transferPlan = planned.plan();
      }
    } catch (IllegalArgumentException | UncheckedIOException | IOException e) {
      err.println("skyplane sync: error: " + CopyCommand.message(e));
      return SkyplaneCli.EXIT_BAD_INPUT;
    }
    if (checksumNote != null && !options.quiet) {
      err.println(checksumNote);
      err.flush();
    }
    if (dryRun) {
      for (SyncPlan.Copy copy : plan.copies()) {
        out.println("copy   " + copy.object().key() + " (" + copy.describe() + ", "
            + ByteSize.format(copy.object().size()) + ")");
      }
      plan.deletions().forEach(key -> out.println("delete " + key));
      out.printf("Dry run: would copy %d objects (%s), delete %d; %d unchanged%n",
          plan.copies().size(), ByteSize.format(plan.bytesToCopy()), plan.deletions().size(), plan.unchanged());
      return finish(new SyncReport(true, plan.copies().size(), plan.bytesToCopy(), plan.unchanged(),
          plan.deletions(), null, bytesChecksummed), SkyplaneCli.EXIT_OK, out, err);
    }
    if (flow != null && !plan.copies().isEmpty()) {
      SyncPlan toDo = plan;
      return flow.run(transferPlan, routed, (copy, cluster) -> copyAndDelete(spec, copy, cluster, toDo, out, err));
    }
    return copyAndDelete(spec, routed, target, plan, out, err);
  }

  /** Copies what differs on {@code target}, then deletes (after a successful copy only); the exit code. */
  private int copyAndDelete(TransferSpec spec, TransferSpec routed, ClusterTarget target, SyncPlan plan,
      PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
    TransferReport report = null;
    if (!plan.copies().isEmpty()) {
      if (spec.destination().isLocal()) {
        Files.createDirectories(Path.of(spec.destinationRoot()));
      }
      List<SourceObject> objects = plan.copies().stream().map(SyncPlan.Copy::object).collect(Collectors.toList());
      Set<String> keys = objects.stream().map(SourceObject::key).collect(Collectors.toSet());
      report = options.run(routed, target, source, destination, SourceTotals.of(objects), keys, err);
      ReportOutput.summary(report, out, err);
      if (!report.succeeded()) {
        err.println("skyplane sync: the copy did not succeed; nothing was deleted");
        return finish(new SyncReport(false, plan.copies().size(), plan.bytesToCopy(), plan.unchanged(),
            List.of(), report, bytesChecksummed), ReportOutput.exitCode(report), out, err);
      }
    }
    List<String> deleted = new ArrayList<>();
    try {
      DestinationListing.delete(spec, plan.deletions(), deleted);
    } catch (IOException e) {
      err.println("skyplane sync: error: " + CopyCommand.message(e));
      return finish(new SyncReport(false, plan.copies().size(), plan.bytesToCopy(), plan.unchanged(),
          deleted, report, bytesChecksummed), SkyplaneCli.EXIT_OBJECTS_FAILED, out, err);
    }
    out.printf("Synced: %d copied, %d deleted, %d unchanged%n",
        plan.copies().size(), deleted.size(), plan.unchanged());
    return finish(new SyncReport(false, plan.copies().size(), plan.bytesToCopy(), plan.unchanged(),
        deleted, report, bytesChecksummed), SkyplaneCli.EXIT_OK, out, err);
  }

  private int finish(SyncReport report, int code, PrintWriter out, PrintWriter err) throws IOException {
    if (options.json != null) {
      ReportOutput.json(report, options.json, out);
    }
    out.flush();
    err.flush();
    return code;
  }
}
