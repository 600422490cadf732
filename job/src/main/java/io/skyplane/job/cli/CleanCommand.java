package io.skyplane.job.cli;

import io.skyplane.job.scratch.Lease;
import io.skyplane.job.scratch.RunSweeper;
import io.skyplane.job.scratch.Scratch;
import io.skyplane.job.transfer.Location;
import io.skyplane.job.uri.ObjectUri;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skyplane clean DST}: removes what killed runs left in a destination. */
@Command(
    name = "clean",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Remove what transfers into DST left behind when they were killed: their unfinished multipart",
      "uploads (aborted), temporary parts and files, and their leases. Each run keeps these in its",
      "area, .skyplane-tmp/<run>/ at the root of DST's store (a bucket's root; for local files DST",
      "itself); a run that is still alive (its lease renewed within the last "
          + "60 s) is left alone. A later transfer into DST does the same before it starts."
    },
    footer = {"", "Exit codes: 0 nothing of a dead run is left; 1 something could not be removed (listed);"
        + " 2 bad input."})
final class CleanCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DST", description = "A destination: a path or store URI, as cp's DST.")
  String destination;

  @Option(names = {"-n", "--dry-run"}, description = "List the runs found and what would be removed; change nothing.")
  boolean dryRun;

  @Option(names = "--store-config", paramLabel = "FILE", description = "Store endpoints and options, as for cp.")
  Path storeConfig;

  @Spec CommandSpec command;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    Location location;
    Path localRoot = null;
    try {
      ObjectUri uri = ObjectUri.parse(destination);
      if (uri.isLocal()) {
        localRoot = uri.localPath().toAbsolutePath().normalize();
        if (!Files.isDirectory(localRoot)) {
          throw new IllegalArgumentException("not a directory: '" + destination + "'");
        }
        location = Location.local(localRoot, false, destination);
      } else {
        location = io.skyplane.job.uri.StoreConfig.load(storeConfig).locate(uri, false);
      }
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("skyplane clean: error: " + CopyCommand.message(e));
      return SkyplaneCli.EXIT_BAD_INPUT;
    }
    long now = System.currentTimeMillis();
    try (ObjectStore store = ObjectStores.open(location.store())) {
      RunSweeper sweeper = new RunSweeper(store, localRoot);
      List<RunSweeper.Run> runs = sweeper.runs();
      List<String> leftovers = new ArrayList<>();
      int removed = 0;
      for (RunSweeper.Run run : runs) {
        String state = describe(run, now);
        if (run.alive(now)) {
          out.println("run " + run.id() + ": " + state + "; left alone");
          continue;
        }
        if (dryRun) {
          out.println("run " + run.id() + ": " + state + "; would remove its " + run.objects()
              + " objects and abort its journaled uploads");
          continue;
        }
        RunSweeper.Result result = sweeper.sweep(run.id(), true, key -> true);
        removed++;
        out.printf(Locale.ROOT, "run %s: %s; aborted %d uploads, deleted %d objects%s%n", run.id(), state,
            result.uploadsAborted(), result.objectsDeleted(),
            result.clean() ? "" : ", " + result.leftovers().size() + " could not be removed");
        leftovers.addAll(result.leftovers());
      }
      if (runs.isEmpty()) {
        out.println("nothing to clean in " + store.uri(Scratch.ROOT));
      }
      for (String leftover : leftovers) {
        err.println("  left: " + leftover);
      }
      out.flush();
      if (!leftovers.isEmpty()) {
        err.println("skyplane clean: " + leftovers.size() + " leftovers of " + removed
            + " dead runs could not be removed (see above); run it again");
        return SkyplaneCli.EXIT_OBJECTS_FAILED;
      }
      return SkyplaneCli.EXIT_OK;
    } catch (IOException | RuntimeException e) {
      Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
      err.println("skyplane clean: error: cannot clean " + destination + ": " + cause.getMessage());
      return SkyplaneCli.EXIT_BAD_INPUT;
    }
  }

  private static String describe(RunSweeper.Run run, long now) {
    if (run.lease().isEmpty()) {
      return "no lease (dead)";
    }
    Lease lease = run.lease().get();
    long ago = Math.max(0, now - lease.heartbeatMillis()) / 1000;
    String who = lease.pid() > 0 ? " by pid " + lease.pid() + " on " + lease.host() : " on " + lease.host();
    return switch (lease.liveness(now)) {
      case ALIVE -> "running" + who + " (lease renewed " + ago + " s ago)";
      case STALE -> "dead (lease last renewed " + ago + " s ago" + who + ")";
      case PROCESS_GONE -> "dead (its process" + who + " is gone)";
    };
  }
}
