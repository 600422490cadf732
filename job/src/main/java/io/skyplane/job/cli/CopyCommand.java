package io.skyplane.job.cli;

import io.skyplane.job.source.SourceObject;
import io.skyplane.job.transfer.TransferReport;
import io.skyplane.job.transfer.TransferRunner;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.job.uri.ObjectUri;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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
      "With -r, the contents of the directory SRC go under DST (DST/relative/path).",
      "A single file goes to DST, or into DST when DST is a directory or ends with '/'.",
      "Objects are written to a temporary name and renamed into place only when verified."
    })
final class CopyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SRC", description = "Source: a path or file:// URI.")
  String source;

  @Parameters(index = "1", paramLabel = "DST", description = "Destination: a path or file:// URI.")
  String destination;

  @Option(names = {"-r", "--recursive"}, description = "Copy a directory tree.")
  boolean recursive;

  @Mixin TransferOptions options;

  @Spec CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    TransferSpec spec;
    List<SourceObject> objects;
    try {
      spec = validate();
      objects = TransferRunner.list(spec);
      if (!spec.singleObject()) {
        Files.createDirectories(Path.of(spec.destinationRoot()));
      }
    } catch (IllegalArgumentException | UncheckedIOException | IOException e) {
      err.println("skyplane cp: error: " + e.getMessage());
      return SkyplaneCli.EXIT_BAD_INPUT;
    }
    TransferReport report;
    report = options.run(spec, source, destination, objects, null, err);
    ReportOutput.summary(report, out, err);
    if (options.json != null) {
      ReportOutput.json(report, options.json, out);
    }
    out.flush();
    err.flush();
    return ReportOutput.exitCode(report);
  }

  /** Checks the input and resolves what goes where; nothing is written. */
  TransferSpec validate() {
    List<ObjectUri> uris = Locations.parse(source, destination);
    Path from = uris.get(0).localPath();
    Path to = uris.get(1).localPath();
    // options first: a bad option is reported even when the paths are bad too
    options.spec(from, to, false);
    if (!Files.exists(from)) {
      throw new IllegalArgumentException("source does not exist: '" + source + "'");
    }
    boolean tree = Files.isDirectory(from);
    if (tree && !recursive) {
      throw new IllegalArgumentException("source is a directory: '" + source + "' (use -r to copy a tree)");
    }
    if (tree) {
      Locations.checkTree(from, to, source, destination);
      return options.spec(from, to, false);
    }
    if (Files.isDirectory(to) || uris.get(1).endsWithSeparator()) {
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
    return options.spec(from, to, true);
  }
}
