package io.skyplane.job.sync;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.source.SourceObject;
import io.skyplane.store.Crc32c;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;

/**
 * {@code sync --checksum}: compares objects of equal size by the CRC32C of their content. A side's
 * checksum comes from its listing when the store reports one ({@link SourceObject#crc32c()}: GCS;
 * Azure blobs skyplane wrote), else from reading the whole object with that side's {@link Reader};
 * the reads run on at most {@code threads} threads of this client. Reading costs what a copy's read
 * costs: when neither store keeps a checksum (files, S3), both sides of every same-size pair are read.
 */
public final class ContentComparison {
  /** Reads one side's objects. */
  @FunctionalInterface
  public interface Reader {
    /** The CRC32C of the object's whole content; IOException naming the object when it cannot be read. */
    int crc32c(SourceObject object) throws IOException;
  }

  /** A source object and the destination object of the same key and size. */
  public record Pair(SourceObject source, SourceObject destination) {
    public Pair {
      requireNonNull(source, "source is null");
      requireNonNull(destination, "destination is null");
    }
  }

  private final Reader source;
  private final Reader destination;
  private final int threads;
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicInteger objectsRead = new AtomicInteger();

  public ContentComparison(Reader source, Reader destination, int threads) {
    this.source = requireNonNull(source, "source is null");
    this.destination = requireNonNull(destination, "destination is null");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive, got " + threads);
    }
    this.threads = threads;
  }

  /**
   * For each pair, in order: null when the contents have the same CRC32C, else the difference in
   * words ("CRC32C 0a1b2c3d != 4e5f6a7b", source first). The first read that fails fails the whole
   * comparison (the other reads are cancelled).
   *
   * @throws IOException the failure of a read
   */
  public List<String> compare(List<Pair> pairs) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, 2 * pairs.size())), r -> {
      Thread thread = new Thread(r, "skyplane-checksum");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<Integer>> sources = new ArrayList<>();
      List<Future<Integer>> destinations = new ArrayList<>();
      for (Pair pair : pairs) {
        sources.add(crc32c(pool, source, pair.source()));
        destinations.add(crc32c(pool, destination, pair.destination()));
      }
      List<String> differences = new ArrayList<>();
      for (int i = 0; i < pairs.size(); i++) {
        differences.add(difference(result(sources.get(i)), result(destinations.get(i))));
      }
      return differences;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Bytes read so far (objects whose listing had no checksum). */
  public long bytesRead() {
    return bytesRead.get();
  }

  /** Objects read so far. */
  public int objectsRead() {
    return objectsRead.get();
  }

  /** The difference of two checksums in words, or null when they are equal. */
  @Nullable
  static String difference(int source, int destination) {
    return source == destination ? null
        : String.format(Locale.ROOT, "CRC32C %08x != %08x", source, destination);
  }

  /** The listed CRC32C of an object; IllegalArgumentException when it has none or it is malformed. */
  static int listed(SourceObject object) {
    try {
      return Crc32c.fromBase64(object.crc32c());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed CRC32C '" + object.crc32c() + "' of " + object.key(), e);
    }
  }

  /** Whether the object's listing carries a CRC32C this class can use. */
  static boolean hasListed(SourceObject object) {
    if (object.crc32c().isEmpty()) {
      return false;
    }
    try {
      listed(object);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private Future<Integer> crc32c(ExecutorService pool, Reader reader, SourceObject object) {
    if (hasListed(object)) {
      return CompletableFuture.completedFuture(listed(object));
    }
    if (object.size() == 0) {
      return CompletableFuture.completedFuture(0); // the CRC32C of nothing
    }
    return pool.submit(() -> {
      int crc = reader.crc32c(object);
      bytesRead.addAndGet(object.size());
      objectsRead.incrementAndGet();
      return crc;
    });
  }

  private static int result(Future<Integer> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while comparing checksums", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException(cause);
    }
  }
}
