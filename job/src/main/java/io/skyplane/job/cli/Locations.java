package io.skyplane.job.cli;

import io.skyplane.job.source.SourceObject;
import io.skyplane.job.transfer.Location;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.job.uri.ObjectUri;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.annotation.Nullable;
import io.skyplane.job.scratch.Scratch;

/** Parses and checks the SRC and DST of a command; every failure quotes what the user wrote. */
final class Locations {
  /** Destinations that hold directory markers: as objects (stores) or as directories (files). */
  private static final java.util.Set<String> MARKER_SCHEMES = java.util.Set.of("file", "s3", "gs", "azure");

  private Locations() {}

  /** Parses both locations. */
  static List<ObjectUri> parse(String source, String destination) {
    return List.of(ObjectUri.parse(source), ObjectUri.parse(destination));
  }

  /**
   * The checks of each source object as the client streams the listing, before anything is
   * written: not a run's temporary ({@link #checkSource}), not a directory marker where the
   * destination cannot hold one ({@link #checkMarker}), and for a local destination a key that is
   * a plain relative path. Throws IllegalArgumentException naming the object.
   */
  static Consumer<SourceObject> objectChecks(Location destination, TransferSpec spec) {
    boolean local = destination.isLocal();
    return object -> {
      checkSource(spec, object);
      checkMarker(destination, object);
      if (local) {
        spec.destinationOf(object.key()); // refuses keys that are not plain paths
      }
    };
  }

  /**
   * Checks, before anything is written and once the source was listed, that a store destination
   * can be listed (the bucket exists, the credentials work) and that the largest object to copy
   * has no more chunks than the destination allows ({@link ChunkLimits}; for files too).
   * IllegalArgumentException or IOException otherwise.
   */
  static void checkDestinationStore(Location destination, TransferSpec spec, @Nullable SourceObject largest)
      throws IOException {
    if (!destination.isLocal()) {
      try (ObjectStore store = ObjectStores.open(destination.store());
          ObjectListing listing = store.list(destination.prefix())) {
        listing.hasNext();
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    ChunkLimits.of(destination).checkObjects(spec.chunkSize(), largest == null ? List.of() : List.of(largest));
  }

  /**
   * Refuses a directory marker (a 0-byte key ending in '/') for a destination that cannot hold one
   * (Hadoop file systems: a path cannot end in '/').
   */
  static void checkMarker(Location destination, SourceObject object) {
    if (!MARKER_SCHEMES.contains(destination.store().scheme()) && TransferSpec.isMarker(object.key(), object.size())) {
      throw new IllegalArgumentException("the source holds directory markers (0-byte keys ending in '/', e.g. '"
          + object.key() + "'), which a " + destination.store().scheme() + ":// file system cannot hold; copy"
          + " them to a local directory, S3, GCS or Azure instead, or remove them from the source");
    }
  }

  /**
   * Refuses a source object of a run's area ({@code .skyplane-tmp/<run>/...} at the root of its
   * store): the temporaries of a transfer into that source that is running or was killed. They are
   * not the user's data, and copying them would copy another run's half-written state.
   */
  static void checkSource(TransferSpec spec, SourceObject object) {
    String key = spec.sourceKey(object.key());
    Optional<String> run = Scratch.runOf(key);
    if (run.isPresent()) {
      throw new IllegalArgumentException("source '" + spec.source().text() + "' holds temporary objects of"
          + " skyplane run " + run.get() + " (" + key + "): a transfer into it is running or was killed;"
          + " wait for it, or remove them with: skyplane clean " + spec.source().text());
    }
  }

  /** Refuses a store destination that lies inside the store source (or is the same object). */
  static void checkStoreOverlap(Location from, Location to, boolean singleObject) {
    if (from.isLocal() || to.isLocal() || !from.store().equals(to.store())) {
      return;
    }
    if (singleObject ? from.prefix().equals(to.prefix()) : to.prefix().startsWith(from.prefix())) {
      throw new IllegalArgumentException(singleObject
          ? "source and destination are the same object: '" + from + "'"
          : "destination '" + to + "' is inside the source '" + from + "'");
    }
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
