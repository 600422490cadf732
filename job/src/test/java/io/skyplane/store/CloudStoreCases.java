package io.skyplane.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Store behaviour every backend must show, run against a real local server. A backend's IT only
 * says how to open its store ({@link #newStore}). Meant to fold into the shared conformance suite.
 */
public abstract class CloudStoreCases {
  private static final AtomicInteger RUN = new AtomicInteger();

  protected ObjectStore store;
  /** A key prefix of this test only, so tests share one bucket without seeing each other. */
  protected String base;

  /** Opens the store under test on an existing, possibly non-empty bucket. */
  protected abstract ObjectStore newStore() throws IOException;

  @BeforeEach
  void open(TestInfo test) throws IOException {
    store = newStore();
    base = test.getTestMethod().orElseThrow().getName() + "-" + RUN.incrementAndGet() + "/";
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  @Test
  void keysWithSpecialCharacters() throws IOException {
    List<String> keys = new ArrayList<>(List.of(
        base + "with space", base + "unicode-ü-日本-😀", base + "plus+sign", base + "percent%20sign",
        base + "equals=sign&amp", base + "dir/nested/leaf", base + "up/../dotdot",
        base + "question?hash#"));
    keys.add(base + "long-" + "k".repeat(1000 - (base + "long-").getBytes(UTF_8).length));
    assertThat(keys.get(keys.size() - 1).getBytes(UTF_8)).hasSize(1000);
    for (String key : keys) {
      byte[] data = key.getBytes(UTF_8);
      ObjectInfo info = put(key, data);
      assertThat(info.key()).isEqualTo(key);
      assertThat(info.size()).isEqualTo(data.length);
      assertThat(store.stat(key)).get().extracting(ObjectInfo::size).isEqualTo((long) data.length);
      assertThat(readAll(key, 0, data.length)).isEqualTo(data);
    }
    assertThat(listKeys(base)).containsExactlyElementsOf(sortedUtf8(keys));
    for (String key : keys) {
      store.delete(key);
      assertThat(store.stat(key)).isEmpty();
    }
    assertThat(listKeys(base)).isEmpty();
  }

  @Test
  void zeroByteObjects() throws IOException {
    String key = base + "empty";
    assertThat(put(key, new byte[0]).size()).isZero();
    assertThat(store.stat(key)).get().extracting(ObjectInfo::size).isEqualTo(0L);
    assertThat(readAll(key, 0, 0)).isEmpty();
    assertThat(listKeys(base)).containsExactly(key);
  }

  @Test
  void listsMoreThanAThousandObjectsInOrderByPrefix() throws Exception {
    int count = 1_100;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String key = String.format("%smany/o%05d", base, i);
        puts.add(pool.submit(() -> put(key, key.getBytes(UTF_8))));
      }
      puts.add(pool.submit(() -> put(base + "other", new byte[1])));
      for (Future<?> put : puts) {
        put.get();
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> all = listKeys(base + "many/");
    assertThat(all).hasSize(count).isSorted().doesNotHaveDuplicates();
    assertThat(listKeys(base + "many/o01")).hasSize(100).allMatch(k -> k.startsWith(base + "many/o01"));
    assertThat(listKeys(base)).hasSize(count + 1).endsWith(base + "other");
  }

  @Test
  void readsRanges() throws IOException {
    String key = base + "ranged";
    byte[] data = Bytes.generate(7, 0, 1 << 20);
    put(key, data);
    assertThat(readAll(key, 0, data.length)).isEqualTo(data);
    assertThat(readAll(key, 1000, 1)).containsExactly(data[1000]);
    assertThat(readAll(key, 123_456, 500_000)).isEqualTo(slice(data, 123_456, 500_000));
    assertThat(readAll(key, data.length - 10, 10)).isEqualTo(slice(data, data.length - 10, 10));
    assertThatThrownBy(() -> readAll(key, data.length - 10, 11)).isInstanceOf(IOException.class);
  }

  @Test
  void missingObjects() throws IOException {
    String key = base + "missing";
    assertThat(store.stat(key)).isEmpty();
    assertThatThrownBy(() -> store.read(key, 0, 1).close())
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND);
          assertThat(e.getMessage()).contains(store.uri(key));
        });
    store.delete(key);
  }

  @Test
  void putOverwrites() throws IOException {
    String key = base + "over";
    ObjectInfo first = put(key, "first".getBytes(UTF_8));
    ObjectInfo second = put(key, "second version".getBytes(UTF_8));
    assertThat(second.version()).isNotEqualTo(first.version());
    assertThat(readAll(key, 0, 14)).isEqualTo("second version".getBytes(UTF_8));
    assertThat(listKeys(base)).containsExactly(key);
  }

  @Test
  void putRejectsAWrongChecksum() throws IOException {
    String key = base + "bad-crc";
    byte[] data = "payload".getBytes(UTF_8);
    assertThatThrownBy(() -> store.put(key, data, 0, data.length, crc(data, 0, data.length) ^ 1))
        .isInstanceOf(StoreException.class);
    assertThat(store.stat(key)).isEmpty();
  }

  @Test
  void multipartFromSeveralThreadsOutOfOrder() throws Exception {
    String key = base + "multi";
    long partSize = store.multipart().minPartSize();
    long size = partSize * 6 + 12_345;
    ObjectInfo info = uploadInParts(key, 11, size, partSize, 3, true);
    assertThat(info.size()).isEqualTo(size);
    assertIdentical(key, 11, size);
    assertThat(store.multipart().pending(base)).isEmpty();
    assertThat(listKeys(base)).containsExactly(key);
  }

  @Test
  void multipart200MiBInManyParts() throws Exception {
    String key = base + "big";
    long size = (200L << 20) + 777;
    long partSize = store.multipart().minPartSize();
    ObjectInfo info = uploadInParts(key, 42, size, partSize, 4, false);
    assertThat(info.size()).isEqualTo(size);
    assertIdentical(key, 42, size);
    assertThat(store.multipart().pending(base)).isEmpty();
  }

  @Test
  void abortLeavesNothing() throws IOException {
    String key = base + "aborted";
    MultipartWriter writer = store.multipart();
    MultipartUpload upload = writer.create(key);
    byte[] part = Bytes.generate(3, 0, (int) writer.minPartSize());
    writer.upload(upload, 2, part.length, part, 0, part.length, crc(part, 0, part.length));
    writer.upload(upload, 1, 0, part, 0, part.length, crc(part, 0, part.length));
    assertThat(writer.pending(base)).extracting(MultipartUpload::key).contains(key);
    assertThat(listKeys("")).as("staged parts are never listed")
        .noneMatch(k -> k.contains(upload.uploadId()) || k.equals(key));
    assertThat(store.stat(key)).isEmpty();
    writer.abort(upload);
    writer.abort(upload); // aborting twice is fine
    assertThat(writer.pending(base)).isEmpty();
    assertThat(store.stat(key)).isEmpty();
    assertThat(listKeys(base)).isEmpty();
  }

  @Test
  void completeIsIdempotent() throws IOException {
    String key = base + "twice";
    MultipartWriter writer = store.multipart();
    MultipartUpload upload = writer.create(key);
    byte[] data = Bytes.generate(5, 0, (int) writer.minPartSize() + 10);
    int split = (int) writer.minPartSize();
    List<PartReceipt> parts = List.of(
        writer.upload(upload, 1, 0, data, 0, split, crc(data, 0, split)),
        writer.upload(upload, 2, split, data, split, 10, crc(data, split, 10)));
    ObjectInfo first = writer.complete(upload, parts);
    ObjectInfo again = writer.complete(upload, parts);
    assertThat(again.size()).isEqualTo(first.size()).isEqualTo(data.length);
    assertThat(readAll(key, 0, data.length)).isEqualTo(data);
    writer.abort(upload); // after completion: not an error, and the object stays
    assertThat(store.stat(key)).isPresent();
    assertThat(writer.pending(base)).isEmpty();
    assertThat(listKeys(base)).containsExactly(key);
  }

  // ---- helpers ----

  protected ObjectInfo put(String key, byte[] data) throws IOException {
    return store.put(key, data, 0, data.length, crc(data, 0, data.length));
  }

  protected byte[] readAll(String key, long offset, int length) throws IOException {
    try (InputStream in = store.read(key, offset, length)) {
      return in.readAllBytes();
    }
  }

  protected List<String> listKeys(String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    try (ObjectListing listing = store.list(prefix)) {
      listing.forEachRemaining(info -> keys.add(info.key()));
    }
    return keys;
  }

  protected static int crc(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }

  /** Uploads a generated object in parts from {@code threads} workers, each reusing one buffer. */
  private ObjectInfo uploadInParts(String key, long seed, long size, long partSize, int threads,
      boolean reversed) throws Exception {
    MultipartWriter writer = store.multipart();
    MultipartUpload upload = writer.create(key);
    int partCount = (int) ((size + partSize - 1) / partSize);
    List<Integer> numbers = new ArrayList<>();
    for (int n = 1; n <= partCount; n++) {
      numbers.add(n);
    }
    Collections.shuffle(numbers, new java.util.Random(seed));
    if (reversed) {
      Collections.reverse(numbers);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[(int) partSize]);
    List<Future<PartReceipt>> receipts = new ArrayList<>();
    try {
      for (int n : numbers) {
        receipts.add(pool.submit(() -> {
          long offset = (n - 1) * partSize;
          int length = (int) Math.min(partSize, size - offset);
          byte[] buffer = buffers.get();
          Bytes.fill(seed, offset, buffer, length);
          return writer.upload(upload, n, offset, buffer, 0, length, crc(buffer, 0, length));
        }));
      }
      List<PartReceipt> parts = new ArrayList<>();
      for (Future<PartReceipt> receipt : receipts) {
        parts.add(receipt.get());
      }
      return writer.complete(upload, parts);
    } catch (Exception e) {
      writer.abort(upload);
      throw e;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Streams the object and compares it with the generated bytes, 1 MiB at a time. */
  private void assertIdentical(String key, long seed, long size) throws IOException {
    byte[] expected = new byte[1 << 20];
    byte[] actual = new byte[1 << 20];
    CRC32C want = new CRC32C();
    CRC32C got = new CRC32C();
    try (InputStream in = store.read(key, 0, size)) {
      for (long at = 0; at < size; ) {
        int n = (int) Math.min(expected.length, size - at);
        Bytes.fill(seed, at, expected, n);
        int read = in.readNBytes(actual, 0, n);
        assertThat(read).as("bytes at %d", at).isEqualTo(n);
        want.update(expected, 0, n);
        got.update(actual, 0, n);
        if (!java.util.Arrays.equals(expected, 0, n, actual, 0, n)) {
          throw new AssertionError("bytes differ in [" + at + ", " + (at + n) + ") of " + key);
        }
        at += n;
      }
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThat(got.getValue()).isEqualTo(want.getValue());
  }

  private static byte[] slice(byte[] data, int offset, int length) {
    return java.util.Arrays.copyOfRange(data, offset, offset + length);
  }

  private static List<String> sortedUtf8(List<String> keys) {
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort((a, b) -> java.util.Arrays.compareUnsigned(a.getBytes(UTF_8), b.getBytes(UTF_8)));
    return sorted;
  }

  /** Deterministic bytes: byte i of object {@code seed} depends only on (seed, i). */
  static final class Bytes {
    private Bytes() {}

    static byte[] generate(long seed, long offset, int length) {
      byte[] data = new byte[length];
      fill(seed, offset, data, length);
      return data;
    }

    static void fill(long seed, long offset, byte[] target, int length) {
      for (int i = 0; i < length; i++) {
        long position = offset + i;
        long word = mix(seed * 0x9E3779B97F4A7C15L + (position >>> 3));
        target[i] = (byte) (word >>> ((position & 7) * 8));
      }
    }

    private static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }
}
