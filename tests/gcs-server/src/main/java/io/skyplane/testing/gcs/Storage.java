package io.skyplane.testing.gcs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Buckets and objects on disk. Every object generation is its own immutable data file under
 * {@code <root>/buckets/<bucket>/}; a write stages into {@code <root>/tmp} and becomes visible by
 * an atomic rename plus an index update under the bucket's lock, so readers see either the old or
 * the new generation, never a partial one. The index (names, metadata) lives in memory: the data
 * folder does not survive a restart of the server as a store.
 */
final class Storage {
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]");

  private final Path tmpDir;
  private final Path bucketsDir;
  private final ConcurrentSkipListMap<String, Bucket> buckets = new ConcurrentSkipListMap<>();
  private final AtomicLong generations = new AtomicLong(System.currentTimeMillis() * 1000);

  Storage(Path root) throws IOException {
    this.tmpDir = Files.createDirectories(root.resolve("tmp"));
    this.bucketsDir = Files.createDirectories(root.resolve("buckets"));
  }

  Path tmpDir() {
    return tmpDir;
  }

  Bucket createBucket(String name) throws ApiException, IOException {
    if (name == null || !BUCKET_NAME.matcher(name).matches()) {
      throw ApiException.badRequest("Invalid bucket name: '" + name + "'");
    }
    Bucket b = new Bucket(name, Instant.now(), bucketsDir.resolve(name));
    if (buckets.putIfAbsent(name, b) != null) {
      throw new ApiException(
          409, "conflict", "The requested bucket name is not available: " + name);
    }
    Files.createDirectories(b.dir());
    return b;
  }

  Bucket bucket(String name) throws ApiException {
    Bucket b = name == null ? null : buckets.get(name);
    if (b == null) {
      throw new ApiException(404, "notFound", "The specified bucket does not exist: " + name);
    }
    return b;
  }

  Collection<Bucket> buckets() {
    return buckets.values();
  }

  void deleteBucket(String name) throws ApiException, IOException {
    Bucket b = bucket(name);
    synchronized (b) {
      if (!b.objects().isEmpty()) {
        throw new ApiException(409, "conflict", "The bucket you tried to delete is not empty.");
      }
      buckets.remove(name);
      Files.deleteIfExists(b.dir());
    }
  }

  /** The live object, optionally of one generation; 404 when missing. */
  ObjectRecord get(String bucket, String name, Long generation) throws ApiException {
    ObjectRecord rec = bucket(bucket).objects().get(name);
    if (rec == null || (generation != null && rec.generation() != generation)) {
      throw ApiException.notFound(bucket + "/" + name
          + (generation == null ? "" : "#" + generation));
    }
    return rec;
  }

  /**
   * Makes staged (finished) content the new live generation of an object, if the preconditions
   * hold against the current live generation. The staged file is moved, so the caller must not
   * reuse it.
   */
  ObjectRecord commit(
      String bucket, String name, Path staged, long size, String md5, String crc32c,
      ObjectAttrs attrs, Preconditions pre) throws ApiException, IOException {
    checkName(name);
    Bucket b = bucket(bucket);
    ObjectRecord current;
    ObjectRecord rec;
    synchronized (b) {
      current = b.objects().get(name);
      pre.check(current, false);
      long generation = generations.incrementAndGet();
      Path data = b.dir().resolve(fileName(name) + "-" + generation);
      Files.move(staged, data, StandardCopyOption.ATOMIC_MOVE);
      Instant now = Instant.now();
      rec = new ObjectRecord(
          bucket, name, generation, 1, size, md5, crc32c, attrs.withDefaultContentType(null), now,
          now, data);
      b.objects().put(name, rec);
    }
    if (current != null) {
      // Outside the lock: unlinking a large file takes a while. Open readers keep their bytes.
      Files.deleteIfExists(current.data());
    }
    return rec;
  }

  /** Replaces an object's writable metadata; bumps the metageneration. */
  ObjectRecord update(String bucket, String name, Long generation, Preconditions pre,
      java.util.function.UnaryOperator<ObjectAttrs> change) throws ApiException {
    Bucket b = bucket(bucket);
    synchronized (b) {
      ObjectRecord current = get(bucket, name, generation);
      pre.check(current, false);
      ObjectRecord rec = current.withAttrs(change.apply(current.attrs()), Instant.now());
      b.objects().put(name, rec);
      return rec;
    }
  }

  void delete(String bucket, String name, Long generation, Preconditions pre)
      throws ApiException, IOException {
    Bucket b = bucket(bucket);
    synchronized (b) {
      ObjectRecord current = get(bucket, name, generation);
      pre.check(current, false);
      b.objects().remove(name);
      Files.deleteIfExists(current.data());
    }
  }

  private static void checkName(String name) throws ApiException {
    if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 1024
        || name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0) {
      throw ApiException.badRequest("Invalid object name: '" + name + "'");
    }
  }

  /** A file name for an object name of any length or charset. */
  private static String fileName(String name) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
