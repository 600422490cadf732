package io.skyplane.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.skyplane.job.codec.Compression;
import io.skyplane.job.source.SourceObject;
import io.skyplane.job.transfer.TransferReport;
import io.skyplane.job.transfer.TransferRunner;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.job.uri.ObjectUri;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
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

  @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "64MiB",
      description = "Bytes per chunk, the unit of parallel reads (default: ${DEFAULT-VALUE}).")
  String chunkSize;

  @Option(names = "--frame-size", paramLabel = "SIZE", defaultValue = "4MiB",
      description = "Bytes per frame, the unit of compression and checksums on the wire, at most 4MiB (default: ${DEFAULT-VALUE}).")
  String frameSize;

  @Option(names = "--compression", paramLabel = "CODEC", defaultValue = "zstd:1",
      description = "none, zstd or zstd:LEVEL (-7..19), applied before data leaves the source (default: ${DEFAULT-VALUE}).")
  String compression;

  @Option(names = {"-p", "--parallelism"}, paramLabel = "N",
      description = "Parallel readers and writers (default: the number of CPU cores, ${sys:skyplane.cores}).")
  Integer parallelism;

  @Option(names = "--json", paramLabel = "FILE", description = "Write a JSON report to FILE ('-' for stdout).")
  String json;

  @Option(names = {"-q", "--quiet"}, description = "No progress line.")
  boolean quiet;

  @Option(names = "--test-corrupt-chunk", hidden = true, paramLabel = "KEY#INDEX",
      description = "Test hook: damage one chunk in transit.")
  String corruptChunk = "";

  @Spec CommandSpec command;
  private PrintWriter out;
  private PrintWriter err;

  static {
    System.setProperty("skyplane.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
  }

  @Override
  public Integer call() throws Exception {
    out = command.commandLine().getOut();
    err = command.commandLine().getErr();
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
    try (ProgressPrinter progress = new ProgressPrinter(err, System.console() != null)) {
      report = TransferRunner.run(spec, source, destination, objects, new Configuration(),
          p -> {
            if (!quiet) {
              progress.start(p);
            }
          });
    }
    printSummary(report);
    if (json != null) {
      writeJson(report);
    }
    out.flush();
    err.flush();
    if (!report.error().isEmpty()) {
      return SkyplaneCli.EXIT_JOB_FAILED;
    }
    return report.succeeded() ? SkyplaneCli.EXIT_OK : SkyplaneCli.EXIT_OBJECTS_FAILED;
  }

  /** Checks the input and resolves what goes where; nothing is written. */
  TransferSpec validate() {
    long chunk = ByteSize.parse(chunkSize);
    if (chunk <= 0) {
      throw new IllegalArgumentException("--chunk-size must be positive, got '" + chunkSize + "'");
    }
    long frame = ByteSize.parse(frameSize);
    if (frame <= 0 || frame > TransferSpec.MAX_FRAME_SIZE) {
      throw new IllegalArgumentException("--frame-size must be between 1 and 4MiB, got '" + frameSize + "'");
    }
    int workers = parallelism == null ? Runtime.getRuntime().availableProcessors() : parallelism;
    if (workers <= 0) {
      throw new IllegalArgumentException("--parallelism must be positive, got " + workers);
    }
    Compression codec = Compression.parse(compression);
    ObjectUri src = ObjectUri.parse(source);
    ObjectUri dst = ObjectUri.parse(destination);
    for (ObjectUri uri : List.of(src, dst)) {
      if (!uri.isLocal()) {
        throw new IllegalArgumentException(
            uri.scheme() + ":// is not supported by this build yet (local paths and file:// only): '" + uri + "'");
      }
    }
    Path from = src.localPath();
    Path to = dst.localPath();
    if (!Files.exists(from)) {
      throw new IllegalArgumentException("source does not exist: '" + source + "'");
    }
    boolean tree = Files.isDirectory(from);
    if (tree && !recursive) {
      throw new IllegalArgumentException("source is a directory: '" + source + "' (use -r to copy a tree)");
    }
    if (tree) {
      if (Files.exists(to) && !Files.isDirectory(to)) {
        throw new IllegalArgumentException("destination is a file, not a directory: '" + destination + "'");
      }
      Path realFrom = real(from);
      Path realTo = real(to);
      if (realTo.startsWith(realFrom)) {
        throw new IllegalArgumentException(
            "destination '" + destination + "' is inside the source '" + source + "'");
      }
      if (realFrom.startsWith(realTo) && realFrom.equals(realTo)) {
        throw new IllegalArgumentException("source and destination are the same: '" + source + "'");
      }
    } else {
      if (Files.isDirectory(to) || dst.endsWithSeparator()) {
        to = to.resolve(from.getFileName());
      }
      if (Files.isDirectory(to)) {
        throw new IllegalArgumentException("destination is a directory: '" + to + "'");
      }
      if (real(to).equals(real(from))) {
        throw new IllegalArgumentException("source and destination are the same file: '" + source + "'");
      }
      if (to.getParent() != null && Files.exists(to.getParent()) && !Files.isDirectory(to.getParent())) {
        throw new IllegalArgumentException("destination parent is not a directory: '" + to.getParent() + "'");
      }
    }
    String id = UUID.randomUUID().toString().substring(0, 12);
    return new TransferSpec(id, from.toString(), to.toString(), !tree, chunk, (int) frame, codec,
        workers, corruptChunk == null ? "" : corruptChunk);
  }

  /** The real path of p, or of its nearest existing ancestor joined with the rest. */
  private static Path real(Path p) {
    Path existing = p;
    Path rest = Path.of("");
    while (existing != null && !Files.exists(existing)) {
      rest = existing.getFileName().resolve(rest);
      existing = existing.getParent();
    }
    try {
      return existing == null ? p : existing.toRealPath().resolve(rest).normalize();
    } catch (IOException e) {
      return p;
    }
  }

  private void printSummary(TransferReport r) {
    PrintWriter to = r.succeeded() ? out : err;
    to.printf(Locale.ROOT,
        "%s: %d/%d objects, %s in %.1f s (%s/s; %s/s after %.1f s start-up); %s on the wire (%.2fx), CRC32C verified%n",
        r.succeeded() ? "Copied" : "Transfer " + r.status(), r.objectsCommitted(), r.objects(),
        ByteSize.format(r.bytes()), r.durationSeconds(), ByteSize.format(r.throughputBytesPerSecond()),
        ByteSize.format(r.transferBytesPerSecond()), r.startupSeconds(),
        ByteSize.format(r.wireBytes()), r.compressionRatio());
    int shown = 0;
    for (TransferReport.Failure f : r.failures()) {
      if (shown++ == 20) {
        err.println("  ... and " + (r.failures().size() - 20) + " more");
        break;
      }
      err.println("  failed: " + f.key() + ": " + f.error());
    }
    if (!r.error().isEmpty()) {
      err.println("skyplane cp: error: the transfer job failed: " + r.error());
    }
  }

  private void writeJson(TransferReport report) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    if (json.equals("-")) {
      out.println(mapper.writeValueAsString(report));
      out.flush();
    } else {
      mapper.writeValue(new File(json), report);
    }
  }
}
