package io.skyplane.job.cli;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.source.SourceObject;
import io.skyplane.job.transfer.Location;
import io.skyplane.store.MultipartWriter;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What {@code --chunk-size} may be for a destination, and how many chunks one object may have.
 *
 * <ul>
 *   <li>Files: 64 KiB .. 1 GiB per chunk, at most 100,000 chunks per object (as the local multipart
 *       writer), so that chunk indexes and the per-object bookkeeping of the committer stay small.
 *   <li>Stores: the store's smallest part ({@link MultipartWriter#minPartSize()}, 5 MiB on S3, GCS
 *       and Azure; never below 64 KiB) .. 1 GiB (a chunk is one part, buffered in memory), at most
 *       {@link MultipartWriter#maxParts()} chunks per object (10,000 on S3 and GCS, 50,000 on Azure).
 * </ul>
 *
 * @param where the destination, for messages
 * @param minChunk smallest chunk size
 * @param maxChunk largest chunk size
 * @param maxChunks most chunks of one object
 */
record ChunkLimits(String where, long minChunk, long maxChunk, long maxChunks) {
  static final long MIN_CHUNK = 64L << 10;
  static final long MAX_CHUNK = 1L << 30;
  static final long MAX_LOCAL_CHUNKS = 100_000;
  /** The bounds every destination keeps (its own may be narrower). */
  static final ChunkLimits ANY = new ChunkLimits("", MIN_CHUNK, MAX_CHUNK, MAX_LOCAL_CHUNKS);

  ChunkLimits {
    requireNonNull(where, "where is null");
  }

  /**
   * The limits of {@code destination}; for a store, asks its multipart writer (opening a store
   * sends no request). IOException when the store cannot be opened.
   */
  static ChunkLimits of(Location destination) throws IOException {
    if (destination.isLocal()) {
      return new ChunkLimits("a local destination", MIN_CHUNK, MAX_CHUNK, MAX_LOCAL_CHUNKS);
    }
    try (ObjectStore store = ObjectStores.open(destination.store())) {
      MultipartWriter writer = store.multipart();
      return new ChunkLimits(store.uri(destination.prefix()), Math.max(MIN_CHUNK, writer.minPartSize()), MAX_CHUNK,
          writer.maxParts());
    }
  }

  /** Checks a chunk size; IllegalArgumentException quoting {@code given} (what the user wrote). */
  void checkChunkSize(long chunk, String given) {
    if (chunk < minChunk || chunk > maxChunk) {
      throw new IllegalArgumentException("--chunk-size must be between " + ByteSize.exact(minChunk) + " and "
          + ByteSize.exact(maxChunk) + (where.isEmpty() ? "" : " for " + where) + ", got '" + given + "'");
    }
  }

  /**
   * Checks that the largest of {@code objects} has at most {@link #maxChunks} chunks of {@code chunk}
   * bytes; IllegalArgumentException naming the object and a chunk size that works.
   */
  void checkObjects(long chunk, List<SourceObject> objects) {
    Optional<SourceObject> largest = objects.stream().max(Comparator.comparingLong(SourceObject::size));
    if (largest.isEmpty() || chunks(largest.get().size(), chunk) <= maxChunks) {
      return;
    }
    SourceObject object = largest.get();
    long needed = chunks(object.size(), maxChunks);
    long suggestion = Math.max(minChunk, chunks(needed, 1L << 20) << 20); // whole MiB
    String what = "object '" + object.key() + "' (" + ByteSize.format(object.size()) + ") ";
    if (suggestion > maxChunk) {
      throw new IllegalArgumentException(what + "is too large for " + where + ": even chunks of "
          + ByteSize.exact(maxChunk) + " make more than " + maxChunks + " parts");
    }
    throw new IllegalArgumentException(what + "needs " + chunks(object.size(), chunk) + " chunks of --chunk-size "
        + ByteSize.exact(chunk) + ", more than the " + maxChunks + " of " + where + ": use --chunk-size "
        + ByteSize.exact(suggestion) + " or more");
  }

  /** Chunks of {@code chunk} bytes in {@code size} bytes, without overflow. */
  static long chunks(long size, long chunk) {
    return size / chunk + (size % chunk == 0 ? 0 : 1);
  }
}
