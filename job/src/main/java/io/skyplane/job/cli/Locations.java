package io.skyplane.job.cli;

import io.skyplane.job.uri.ObjectUri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Parses and checks the SRC and DST of a command; every failure quotes what the user wrote. */
final class Locations {
  private Locations() {}

  /** Parses both locations; only local ones are supported by this build. */
  static List<ObjectUri> parse(String source, String destination) {
    ObjectUri src = ObjectUri.parse(source);
    ObjectUri dst = ObjectUri.parse(destination);
    for (ObjectUri uri : List.of(src, dst)) {
      if (!uri.isLocal()) {
        throw new IllegalArgumentException(
            uri.scheme() + ":// is not supported by this build yet (local paths and file:// only): '" + uri + "'");
      }
    }
    return List.of(src, dst);
  }

  /** Checks a tree copy: the source is a directory, the destination is not a file nor inside it. */
  static void checkTree(Path from, Path to, String source, String destination) {
    if (!Files.exists(from)) {
      throw new IllegalArgumentException("source does not exist: '" + source + "'");
    }
    if (!Files.isDirectory(from)) {
      throw new IllegalArgumentException("source is not a directory: '" + source + "'");
    }
    if (Files.exists(to) && !Files.isDirectory(to)) {
      throw new IllegalArgumentException("destination is a file, not a directory: '" + destination + "'");
    }
    Path realFrom = real(from);
    Path realTo = real(to);
    if (realTo.equals(realFrom)) {
      throw new IllegalArgumentException("source and destination are the same: '" + source + "'");
    }
    if (realTo.startsWith(realFrom)) {
      throw new IllegalArgumentException(
          "destination '" + destination + "' is inside the source '" + source + "'");
    }
  }

  /** The real path of p, or of its nearest existing ancestor joined with the rest. */
  static Path real(Path p) {
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
}
