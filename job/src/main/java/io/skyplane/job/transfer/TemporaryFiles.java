package io.skyplane.job.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Names and removes the temporary files a transfer writes before it commits objects. */
public final class TemporaryFiles {
  private TemporaryFiles() {}

  static String suffix(String transferId) {
    return ".skyplane-" + transferId + ".tmp";
  }

  /** Whether a file is a temporary file of some transfer (left by a killed process, say). */
  public static boolean isTemporary(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(".") && name.endsWith(".tmp") && name.contains(".skyplane-");
  }

  /** Deletes every temporary file of this transfer under the destination; returns how many. */
  public static int deleteAll(TransferSpec spec) {
    if (!spec.destination().isLocal()) {
      return 0;
    }
    Path root = Path.of(spec.destinationRoot());
    Path dir = spec.singleObject() ? root.getParent() : root;
    if (dir == null || !Files.isDirectory(dir)) {
      return 0;
    }
    String suffix = suffix(spec.transferId());
    List<Path> leftovers;
    try (Stream<Path> files = spec.singleObject() ? Files.list(dir) : Files.walk(dir)) {
      leftovers =
          files.filter(p -> p.getFileName().toString().endsWith(suffix)).collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + " to remove temporary files", e);
    }
    for (Path p : leftovers) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete temporary file " + p, e);
      }
    }
    return leftovers.size();
  }
}
