package io.skyplane.job.cli;

import io.skyplane.job.codec.Compression;
import io.skyplane.job.source.SourceObject;
import io.skyplane.job.transfer.TransferReport;
import io.skyplane.job.transfer.TransferRunner;
import io.skyplane.job.transfer.Location;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.job.uri.StoreConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.annotation.Nullable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/** The options every transfer command shares (a picocli mixin). */
final class TransferOptions {
  private static final long MAX_STORE_CHUNK = 1L << 30;

  static {
    System.setProperty("skyplane.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
  }

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

  @Option(names = "--store-config", paramLabel = "FILE",
      description = "Store endpoints and options (Java properties; default: $SKYPLANE_STORE_CONFIG,"
          + " else ~/.skyplane/stores.properties when present). No secrets: see README.")
  Path storeConfig;

  @Option(names = "--json", paramLabel = "FILE", description = "Write a JSON report to FILE ('-' for stdout).")
  String json;

  @Option(names = {"-q", "--quiet"}, description = "No progress line.")
  boolean quiet;

  @Option(names = "--test-corrupt-chunk", hidden = true, paramLabel = "KEY#INDEX",
      description = "Test hook: damage one chunk in transit.")
  String corruptChunk = "";

  /** Runs the transfer on the cluster (or embedded), with a progress line on {@code err} unless quiet. */
  TransferReport run(TransferSpec spec, String source, String destination, List<SourceObject> objects,
      @Nullable Set<String> onlyKeys, PrintWriter err) throws InterruptedException {
    try (ProgressPrinter progress = new ProgressPrinter(err, System.console() != null)) {
      return TransferRunner.run(spec, source, destination, objects, onlyKeys, new Configuration(),
          p -> {
            if (!quiet) {
              progress.start(p);
            }
          });
    }
  }

  /** The store configuration: the file given, or the default one; IllegalArgumentException if bad. */
  StoreConfig stores() {
    return StoreConfig.load(storeConfig);
  }

  /** Checks the options and builds the transfer's spec; throws IllegalArgumentException on bad input. */
  TransferSpec spec(Location from, Location to, boolean singleObject) {
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
    String id = UUID.randomUUID().toString().substring(0, 12);
    if (!to.isLocal() && chunk > MAX_STORE_CHUNK) {
      throw new IllegalArgumentException("--chunk-size must be at most 1GiB for an object store destination"
          + " (a chunk is one part, buffered in memory), got '" + chunkSize + "'");
    }
    return new TransferSpec(id, from, to, singleObject, chunk, (int) frame, codec,
        workers, corruptChunk == null ? "" : corruptChunk);
  }
}
