package io.skyplane.store;

import static io.skyplane.store.TestData.bytes;
import static io.skyplane.store.TestData.crc32c;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link ObjectStore} promises, run against each backend on its real (local)
 * server. A subclass supplies a fresh, empty store per test; where a backend or its emulator
 * deviates, the subclass overrides a hook below and says why.
 */
public abstract class ObjectStoreConformance {
  /** A 1,000-byte key in segments a file system can hold (names are limited to 255 bytes). */
  protected static final String KEY_1000 = ("s".repeat(199) + "/").repeat(4) + "t".repeat(200);

  protected ObjectStore store;

  /** A new store over an empty bucket (or directory) of its own. */
  protected abstract ObjectStore newStore() throws Exception;

  /** A store whose bucket (or root directory) does not exist. */
  protected abstract ObjectStore storeWithoutBucket() throws Exception;

  /**
   * How a put of a key with {@code ..} segments fails, or empty when the store keeps such keys as
   * literal text (real S3, GCS and Azure do).
   */
  protected Optional<StoreException.Kind> dotDotKeyRejection() {
    return Optional.empty();
  }

  /**
   * Whether uploading a part to an aborted upload fails with NOT_FOUND (S3 NoSuchUpload, a deleted
   * temporary file); the contract only requires that abort leaves nothing behind.
   */
  protected boolean tracksUploadsWithoutParts() {
    return true;
  }

  /**
   * Stores without server-side upload state (GCS: parts are temporary objects; Azure: uncommitted
   * blocks) accept a part that arrives after the abort; a second abort sweeps it away. Such stores
   * return true here, and the suite checks that the part never becomes visible and that the sweep
   * leaves nothing pending.
   */
  protected boolean partsAfterAbortNeedASweep() {
    return false;
  }

  protected boolean rejectsPartsOfAbortedUploads() {
    return true;
  }

  /**
   * Whether listings show the temporary objects of uploads in progress (GCS: its part objects under
   * {@code .skyplane-tmp/<uploadId>/}, which the transfer that owns them removes): then the tests
   * expect exactly those besides the objects they put.
   */
  protected boolean listsUploadTemporaries() {
    return false;
  }

  /** The keys of {@code keys} that are not temporaries of an upload (all of them, where none are listed). */
  private List<String> withoutTemporaries(List<String> keys) {
    if (!listsUploadTemporaries()) {
      return keys;
    }
    return keys.stream().filter(k -> !k.matches("(prefix |object )?\\.skyplane-tmp/[0-9a-f]{32}/.*")).toList();
  }

  /** How a store holds directory markers ({@code dir/}, 0 bytes). */
  protected enum Markers {
    /** As objects like any other (S3, GCS, Azure). */
    OBJECTS,
    /** As empty directories: a marker exists while its directory is empty (local files). */
    EMPTY_DIRECTORIES,
    /** Not at all: a put of a key ending in '/' fails with FATAL. */
    UNSUPPORTED
  }

  protected Markers directoryMarkers() {
    return Markers.OBJECTS;
  }

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store != null) {
      store.close();
    }
  }

  protected ObjectInfo put(String key, byte[] data) throws IOException {
    return store.put(key, data, 0, data.length, crc32c(data));
  }

  protected byte[] read(String key, long offset, long length) throws IOException {
    try (InputStream in = store.read(key, offset, length)) {
      return in.readAllBytes();
    }
  }

  protected List<String> keys(String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    try (ObjectListing listing = store.list(prefix)) {
      listing.forEachRemaining(info -> keys.add(info.key()));
    }
    return keys;
  }

  /** Puts a one-byte object at each key, four at a time. */
  protected void putAll(List<String> keys) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> puts = new ArrayList<>();
      byte[] one = {42};
      for (String key : keys) {
        puts.add(pool.submit(() -> put(key, one)));
      }
      for (Future<?> f : puts) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  protected static List<String> sortedByUtf8(List<String> keys) {
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(UTF_8), b.getBytes(UTF_8)));
    return sorted;
  }

  @Test
  void aVersionedReadIsPinnedToTheListedVersion() throws IOException {
    assumeTrue(store instanceof VersionedRead, "the store has no versioned reads");
    VersionedRead versioned = (VersionedRead) store;
    byte[] first = bytes(5, 1000);
    String listed = put("pinned", first).version();
    assertThat(store.stat("pinned").orElseThrow().version()).isEqualTo(listed);
    try (InputStream in = versioned.read("pinned", 100, 400, listed)) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(first, 100, 500));
    }
    assertThatThrownBy(() -> readAll(versioned, "pinned", 900, 200, listed))
        .isInstanceOf(StoreException.class);
    put("pinned", bytes(6, 1200)); // replaced: another size, so a version from size and time differs too
    assertThatThrownBy(() -> readAll(versioned, "pinned", 0, 1000, listed))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("changed since it was listed");
    store.delete("pinned");
    assertThatThrownBy(() -> readAll(versioned, "pinned", 0, 1000, listed))
        .isInstanceOf(StoreException.class);
  }

  private static byte[] readAll(VersionedRead store, String key, long offset, long length, String version)
      throws IOException {
    try (InputStream in = store.read(key, offset, length, version)) {
      return in.readAllBytes();
    }
  }

  @Nested
  class Listing {
    @Test
    void emptyStoreListsNothing() throws IOException {
      assertThat(keys("")).isEmpty();
    }

    @Test
    void listsNestedPrefixesInKeyOrder() throws IOException {
      List<String> all = List.of("a/b/c", "a/b/d/e", "a/bc", "a-b", "a0", "ab", "b", "a/b/\u00fc", "a/b/z");
      for (String key : all) {
        put(key, key.getBytes(UTF_8));
      }
      assertThat(keys("")).containsExactlyElementsOf(sortedByUtf8(all));
      assertThat(keys("a/b")).containsExactly("a/b/c", "a/b/d/e", "a/b/z", "a/b/\u00fc", "a/bc");
      assertThat(keys("a/b/")).containsExactly("a/b/c", "a/b/d/e", "a/b/z", "a/b/\u00fc");
      assertThat(keys("a/b/d/")).containsExactly("a/b/d/e");
      assertThat(keys("nothing/")).isEmpty();
    }

    @Test
    void reportsSizes() throws IOException {
      put("sized/zero", new byte[0]);
      put("sized/ten", bytes(1, 10));
      try (ObjectListing listing = store.list("sized/")) {
        List<ObjectInfo> infos = new ArrayList<>();
        listing.forEachRemaining(infos::add);
        assertThat(infos).extracting(ObjectInfo::key, ObjectInfo::size)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("sized/ten", 10L),
                org.assertj.core.groups.Tuple.tuple("sized/zero", 0L));
      }
    }

    @Test
    void pagesThroughMoreThanAThousandObjectsInOrder() throws Exception {
      List<String> inside = new ArrayList<>();
      for (int i = 0; i < 1_050; i++) {
        inside.add(String.format("many/%s%04d", i % 2 == 0 ? "e" : "o", i));
      }
      List<String> outside = List.of("many0", "man/y", "many-x/1", "manz");
      List<String> all = new ArrayList<>(inside);
      all.addAll(outside);
      Collections.shuffle(all, new Random(7));
      putAll(all);
      List<String> listed = keys("many/");
      assertThat(listed).hasSize(1_050).doesNotHaveDuplicates();
      assertThat(listed).containsExactlyElementsOf(sortedByUtf8(inside));
      assertThat(keys("")).hasSize(all.size());
    }
  }

  /** The optional {@link DelimitedListing}: one level under a prefix, on stores that have it. */
  @Nested
  class Levels {
    private DelimitedListing levels;

    @BeforeEach
    void onlyWhenTheStoreListsLevels() {
      assumeTrue(store instanceof DelimitedListing, "the store does not list levels");
      levels = (DelimitedListing) store;
    }

    private List<DelimitedListing.LevelEntry> entries(String prefix) throws IOException {
      List<DelimitedListing.LevelEntry> entries = new ArrayList<>();
      try (DelimitedListing.Level level = levels.listLevel(prefix)) {
        level.forEachRemaining(entries::add);
      }
      return entries;
    }

    /** "object KEY" and "prefix CHILD", in the order listed. */
    private List<String> level(String prefix) throws IOException {
      return entries(prefix).stream()
          .map(e -> (e.isPrefix() ? "prefix " : "object ") + e.name()).toList();
    }

    /** What the level's objects and the full listings of its child prefixes add up to. */
    private List<String> keysThroughLevels(String prefix) throws IOException {
      List<String> keys = new ArrayList<>();
      for (DelimitedListing.LevelEntry entry : entries(prefix)) {
        if (entry.isPrefix()) {
          keys.addAll(keys(entry.childPrefix()));
        } else {
          keys.add(entry.object().key());
        }
      }
      return keys;
    }

    @Test
    void listsDirectObjectsAndChildPrefixes() throws IOException {
      List<String> all = List.of("top1", "top 2", "a/x", "a/y/z", "a/\u00fc/k", "b/1", "b-1", "b0",
          "c d/e f", "\u65e5\u672c/\u00fc", "logs/2025-12/c", "logs/2026-01/a", "logs/2026-01/b",
          "logs/2026-02/x/y", "logs/2026-03.txt", "logs/readme");
      for (String key : all) {
        put(key, key.getBytes(UTF_8));
      }
      assertThat(level("")).containsExactly("prefix a/", "object b-1", "prefix b/", "object b0",
          "prefix c d/", "prefix logs/", "object top 2", "object top1", "prefix \u65e5\u672c/");
      assertThat(level("a/")).containsExactly("object a/x", "prefix a/y/", "prefix a/\u00fc/");
      assertThat(level("logs/")).containsExactly("prefix logs/2025-12/", "prefix logs/2026-01/",
          "prefix logs/2026-02/", "object logs/2026-03.txt", "object logs/readme");
      assertThat(level("logs/2026-")).containsExactly(
          "prefix logs/2026-01/", "prefix logs/2026-02/", "object logs/2026-03.txt");
      assertThat(level("b")).containsExactly("object b-1", "prefix b/", "object b0");
      assertThat(level("lo")).containsExactly("prefix logs/");
      assertThat(level("a/x")).containsExactly("object a/x");
      assertThat(level("c d/")).containsExactly("object c d/e f");
      assertThat(level("\u65e5\u672c/")).containsExactly("object \u65e5\u672c/\u00fc");
      assertThat(level("nothing/")).isEmpty();
      for (String prefix : List.of("", "a/", "logs/", "logs/2026-", "b", "t", "nothing/")) {
        assertThat(keysThroughLevels(prefix)).as(prefix).containsExactlyInAnyOrderElementsOf(keys(prefix));
      }
    }

    @Test
    void reportsObjectsLikeTheListing() throws IOException {
      put("sized/zero", new byte[0]);
      put("sized/ten", bytes(1, 10));
      List<ObjectInfo> listed = new ArrayList<>();
      try (ObjectListing listing = store.list("sized/")) {
        listing.forEachRemaining(listed::add);
      }
      assertThat(entries("sized/")).extracting(DelimitedListing.LevelEntry::object)
          .containsExactlyElementsOf(listed);
    }

    @Test
    void pagesThroughMoreThanAThousandEntries() throws Exception {
      List<String> keys = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 1_050; i++) {
        boolean object = i % 2 == 0;
        keys.add(String.format(object ? "p/%04d" : "p/%04d/x", i));
        expected.add(String.format(object ? "object p/%04d" : "prefix p/%04d/", i));
      }
      putAll(keys);
      assertThat(level("p/")).containsExactlyElementsOf(expected);
    }

    @Test
    void hidesUploadsInProgressAndWhatDeletesLeave() throws IOException {
      MultipartUpload upload = store.multipart().create("m/obj");
      byte[] data = bytes(26, 100);
      store.multipart().upload(upload, 1, 0, data, 0, data.length, crc32c(data));
      put("gone/x", data);
      store.delete("gone/x");
      try {
        if (listsUploadTemporaries()) {
          assertThat(level("")).containsExactly("prefix .skyplane-tmp/");
          assertThat(withoutTemporaries(level(".skyplane-tmp/"))).isEmpty();
        } else {
          assertThat(level("")).isEmpty();
          assertThat(level(".")).isEmpty();
          assertThat(level(".skyplane-tmp/")).isEmpty();
        }
        assertThat(level("m/")).isEmpty();
      } finally {
        store.multipart().abort(upload);
      }
    }

    @Test
    void listsDirectoryMarkersAsObjectsOfTheirOwnLevel() throws IOException {
      assumeTrue(directoryMarkers() != Markers.UNSUPPORTED, "the store holds no directory markers");
      put("ph/", new byte[0]);
      put("nested/ph/", new byte[0]);
      assertThat(level("")).containsExactly("prefix nested/", "prefix ph/");
      assertThat(level("ph/")).containsExactly("object ph/");
      assertThat(level("nested/")).containsExactly("prefix nested/ph/");
      assertThat(level("nested/ph/")).containsExactly("object nested/ph/");
      assertThat(entries("ph/")).extracting(e -> e.object().size()).containsExactly(0L);
      for (String prefix : List.of("", "ph/", "nested/", "nested/ph/", "p")) {
        assertThat(keysThroughLevels(prefix)).as(prefix).containsExactlyInAnyOrderElementsOf(keys(prefix));
      }
    }

    @Test
    void listsAUsersObjectsUnderAReservedPrefix() throws IOException {
      MultipartUpload upload = store.multipart().create("m/obj");
      byte[] data = bytes(28, 100);
      store.multipart().upload(upload, 1, 0, data, 0, data.length, crc32c(data));
      try {
        put(".skyplane-tmp/mine", bytes(29, 10));
        assertThat(level("")).containsExactly("prefix .skyplane-tmp/");
        assertThat(withoutTemporaries(level(".skyplane-tmp/"))).containsExactly("object .skyplane-tmp/mine");
      } finally {
        store.multipart().abort(upload);
      }
    }

    @Test
    void missingBucketIsNotFound() throws Exception {
      try (ObjectStore missing = storeWithoutBucket()) {
        assertThatThrownBy(() -> {
          try (DelimitedListing.Level level = ((DelimitedListing) missing).listLevel("")) {
            level.hasNext();
          }
        }).satisfiesAnyOf(
            e -> assertThat(e).isInstanceOfSatisfying(StoreException.class,
                s -> assertThat(s.kind()).isEqualTo(StoreException.Kind.NOT_FOUND)),
            e -> assertThat(e.getCause()).isInstanceOfSatisfying(StoreException.class,
                s -> assertThat(s.kind()).isEqualTo(StoreException.Kind.NOT_FOUND)));
      }
    }
  }

  /** Directory markers ({@code dir/}, 0 bytes) and keys under reserved-looking prefixes. */
  @Nested
  class DirectoryMarkers {
    @Test
    void aMarkerIsPutListedStatReadAndDeleted() throws IOException {
      if (directoryMarkers() == Markers.UNSUPPORTED) {
        assertThatThrownBy(() -> put("dir/", new byte[0])).isInstanceOfSatisfying(StoreException.class,
            e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL));
        assertThat(keys("")).isEmpty();
        return;
      }
      ObjectInfo put = put("dir/", new byte[0]);
      assertThat(put.key()).isEqualTo("dir/");
      assertThat(put.size()).isZero();
      put("dirt", bytes(30, 3));
      assertThat(keys("")).containsExactly("dir/", "dirt");
      assertThat(keys("dir/")).containsExactly("dir/");
      try (ObjectListing listing = store.list("dir")) {
        ObjectInfo listed = listing.next();
        assertThat(listed.key()).isEqualTo("dir/");
        assertThat(listed.size()).isZero();
      }
      ObjectInfo stat = store.stat("dir/").orElseThrow();
      assertThat(stat.size()).isZero();
      assertThat(read("dir/", 0, 0)).isEmpty();
      if (store instanceof VersionedRead versioned) {
        try (InputStream in = versioned.read("dir/", 0, 0, stat.version())) {
          assertThat(in.readAllBytes()).isEmpty();
        }
      }
      assertThatThrownBy(() -> read("dir/", 0, 1)).isInstanceOf(StoreException.class);
      store.delete("dir/");
      assertThat(store.stat("dir/")).isEmpty();
      assertThat(keys("")).containsExactly("dirt");
      store.delete("dir/"); // deleting a missing marker is fine too
    }

    @Test
    void aMarkerBesideObjectsUnderIt() throws IOException {
      assumeTrue(directoryMarkers() != Markers.UNSUPPORTED, "the store holds no directory markers");
      put("m/", new byte[0]);
      put("m/x", bytes(31, 3));
      if (directoryMarkers() == Markers.OBJECTS) {
        assertThat(keys("")).containsExactly("m/", "m/x");
        store.delete("m/x");
        assertThat(keys("")).containsExactly("m/");
      } else {
        // a directory with something in it is no marker; emptied by a delete, it is gone
        assertThat(keys("")).containsExactly("m/x");
        assertThat(store.stat("m/")).isEmpty();
        store.delete("m/x");
        assertThat(keys("")).isEmpty();
      }
    }

    @Test
    void keysUnderAReservedLookingPrefixAreListed() throws Exception {
      MultipartWriter writer = store.multipart();
      long partSize = Math.max(writer.minPartSize(), 1 << 20);
      MultipartUpload upload = writer.create("u/obj");
      Uploads.uploadAll(writer, upload, 32, 2 * partSize, partSize, 2, new Random(5));
      try {
        put(".skyplane-tmp/a", bytes(33, 5));
        put(".skyplane-tmp/b/c", bytes(34, 5));
        assertThat(withoutTemporaries(keys(""))).containsExactly(".skyplane-tmp/a", ".skyplane-tmp/b/c");
        assertThat(withoutTemporaries(keys(".skyplane-tmp/"))).containsExactly(".skyplane-tmp/a", ".skyplane-tmp/b/c");
        assertThat(read(".skyplane-tmp/a", 0, 5)).isEqualTo(bytes(33, 5));
      } finally {
        writer.abort(upload);
      }
      assertThat(writer.pending("")).isEmpty();
      assertThat(keys("")).containsExactly(".skyplane-tmp/a", ".skyplane-tmp/b/c");
    }
  }

  @Nested
  class Stat {
    @Test
    void missingObjectIsEmpty() throws IOException {
      assertThat(store.stat("no/such/key")).isEmpty();
    }

    @Test
    void reportsSizeOfObjectsIncludingEmptyOnes() throws IOException {
      put("s/empty", new byte[0]);
      put("s/full", bytes(2, 1234));
      assertThat(store.stat("s/empty")).get().extracting(ObjectInfo::size).isEqualTo(0L);
      ObjectInfo full = store.stat("s/full").orElseThrow();
      assertThat(full.key()).isEqualTo("s/full");
      assertThat(full.size()).isEqualTo(1234);
      assertThat(full.lastModifiedMillis()).isPositive();
    }

    @Test
    void aPrefixIsNotAnObject() throws IOException {
      put("dir/file", bytes(3, 5));
      assertThat(store.stat("dir")).isEmpty();
    }

    @Test
    void aReportedChecksumIsTheContentsCrc32c() throws Exception {
      // Stores need not report one (""); when they do (GCS, Azure for our own writes), sync trusts it.
      byte[] small = bytes(4, 3000);
      put("c/small", small);
      MultipartWriter writer = store.multipart();
      long partSize = Math.max(writer.minPartSize(), 1 << 20);
      long size = 2 * partSize + 7;
      MultipartUpload upload = writer.create("c/multi");
      writer.complete(upload, Uploads.uploadAll(writer, upload, 23, size, partSize, 2, new Random(3)));
      int multiCrc = crc32c(bytes(23, (int) size));
      for (ObjectInfo info : List.of(store.stat("c/small").orElseThrow(), store.stat("c/multi").orElseThrow())) {
        int expected = info.key().equals("c/small") ? crc32c(small) : multiCrc;
        if (!info.crc32c().isEmpty()) {
          assertThat(Crc32c.fromBase64(info.crc32c())).as(info.key()).isEqualTo(expected);
        }
      }
      try (ObjectListing listing = store.list("c/")) {
        while (listing.hasNext()) {
          ObjectInfo info = listing.next();
          int expected = info.key().equals("c/small") ? crc32c(small) : multiCrc;
          if (!info.crc32c().isEmpty()) {
            assertThat(Crc32c.fromBase64(info.crc32c())).as(info.key()).isEqualTo(expected);
          }
        }
      }
    }
  }

  @Nested
  class Read {
    private final byte[] data = bytes(4, 100_000);

    @BeforeEach
    void object() throws IOException {
      put("r/obj", data);
    }

    @Test
    void readsRangesAtStartMiddleAndEnd() throws IOException {
      assertThat(read("r/obj", 0, 1000)).isEqualTo(Arrays.copyOfRange(data, 0, 1000));
      assertThat(read("r/obj", 40_000, 12_345)).isEqualTo(Arrays.copyOfRange(data, 40_000, 52_345));
      assertThat(read("r/obj", 99_000, 1000)).isEqualTo(Arrays.copyOfRange(data, 99_000, 100_000));
      assertThat(read("r/obj", 0, data.length)).isEqualTo(data);
      assertThat(read("r/obj", 99_999, 1)).containsExactly(data[99_999]);
    }

    @Test
    void readsEmptyRangesAndEmptyObjects() throws IOException {
      assertThat(read("r/obj", 100_000, 0)).isEmpty();
      put("r/empty", new byte[0]);
      assertThat(read("r/empty", 0, 0)).isEmpty();
    }

    @Test
    void rangePastTheEndFails() {
      assertThatThrownBy(() -> read("r/obj", 99_000, 1001)).isInstanceOf(StoreException.class);
      assertThatThrownBy(() -> read("r/obj", 100_001, 10)).isInstanceOf(StoreException.class);
    }

    @Test
    void missingObjectIsNotFound() {
      assertThatThrownBy(() -> read("r/missing", 0, 1))
          .isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND);
            assertThat(e.getMessage()).contains(store.uri("r/missing"));
          });
    }
  }

  @Nested
  class Put {
    @ParameterizedTest
    @ValueSource(strings = {"with space/a b", "unicode/\u00fc\u00f1\u00ee/\u65e5\u672c/\uD83D\uDE00", "plus/a+b",
        "percent/100%/%20", "equals/k=v&x=y", "deep/1/2/3/4/5/6/7/8/9/leaf", "dots/a.b/..c/d.."})
    void roundTripsAwkwardKeys(String key) throws IOException {
      byte[] data = key.getBytes(UTF_8);
      put(key, data);
      assertThat(keys(key)).containsExactly(key);
      assertThat(read(key, 0, data.length)).isEqualTo(data);
      assertThat(store.stat(key)).isPresent();
    }

    @Test
    void roundTripsAThousandByteKey() throws IOException {
      assertThat(KEY_1000.getBytes(UTF_8)).hasSize(1000);
      put(KEY_1000, bytes(5, 10));
      assertThat(keys("")).containsExactly(KEY_1000);
      assertThat(read(KEY_1000, 0, 10)).isEqualTo(bytes(5, 10));
    }

    @Test
    void dotDotSegmentsAreLiteralOrRejected() throws IOException {
      String key = "up/../../escape";
      Optional<StoreException.Kind> rejection = dotDotKeyRejection();
      if (rejection.isEmpty()) {
        put(key, bytes(6, 3));
        assertThat(keys("up/")).containsExactly(key);
        assertThat(read(key, 0, 3)).isEqualTo(bytes(6, 3));
      } else {
        assertThatThrownBy(() -> put(key, bytes(6, 3))).isInstanceOfSatisfying(StoreException.class,
            e -> assertThat(e.kind()).isEqualTo(rejection.get()));
        assertThat(keys("")).isEmpty();
      }
    }

    @Test
    void leadingSlashIsRejected() {
      assertThatThrownBy(() -> put("/abs/key", bytes(7, 3))).isInstanceOfSatisfying(StoreException.class,
          e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL));
    }

    @Test
    void writesEmptyObjects() throws IOException {
      ObjectInfo info = put("p/empty", new byte[0]);
      assertThat(info.size()).isZero();
      assertThat(store.stat("p/empty")).get().extracting(ObjectInfo::size).isEqualTo(0L);
    }

    @Test
    void overwritesWholly() throws IOException {
      put("p/obj", bytes(8, 5000));
      put("p/obj", bytes(9, 300));
      assertThat(read("p/obj", 0, 300)).isEqualTo(bytes(9, 300));
      assertThat(store.stat("p/obj")).get().extracting(ObjectInfo::size).isEqualTo(300L);
    }

    @Test
    void writesASliceOfTheBuffer() throws IOException {
      byte[] data = bytes(10, 100);
      store.put("p/slice", data, 10, 50, crc32c(data, 10, 50));
      assertThat(read("p/slice", 0, 50)).isEqualTo(Arrays.copyOfRange(data, 10, 60));
    }

    @Test
    void checksumMismatchWritesNothing() throws IOException {
      byte[] data = bytes(11, 1000);
      assertThatThrownBy(() -> store.put("p/bad", data, 0, data.length, crc32c(data) + 1))
          .isInstanceOfSatisfying(StoreException.class,
              e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL));
      assertNoObject("p/bad");
    }
  }

  protected void assertNoObject(String key) throws IOException {
    assertThat(store.stat(key)).isEmpty();
    assertThat(keys(key)).isEmpty();
  }

  @Nested
  class Delete {
    @Test
    void deletesObjects() throws IOException {
      put("d/a", bytes(12, 10));
      put("d/b", bytes(13, 10));
      store.delete("d/a");
      assertThat(keys("d/")).containsExactly("d/b");
      assertNoObject("d/a");
    }

    @Test
    void deletingAMissingObjectIsFine() throws IOException {
      store.delete("d/never");
      store.delete("d/never");
    }
  }

  @Nested
  class Multipart {
    @Test
    void partsUploadedOutOfOrderFromSeveralThreads() throws Exception {
      MultipartWriter writer = store.multipart();
      long partSize = Math.max(writer.minPartSize(), 1 << 20);
      long size = 5 * partSize + 12_345;
      MultipartUpload upload = writer.create("m/shuffled");
      List<PartReceipt> receipts = Uploads.uploadAll(writer, upload, 21, size, partSize, 3, new Random(1));
      ObjectInfo info = writer.complete(upload, receipts);
      assertThat(info.size()).isEqualTo(size);
      assertThat(read("m/shuffled", 0, size)).isEqualTo(bytes(21, (int) size));
      assertThat(writer.pending("m/")).isEmpty();
    }

    @Test
    void twoHundredMebibytesInManyParts() throws Exception {
      MultipartWriter writer = store.multipart();
      long partSize = Math.max(writer.minPartSize(), 5L << 20);
      long size = (200L << 20) + 4321;
      MultipartUpload upload = writer.create("m/big");
      List<PartReceipt> receipts = Uploads.uploadAll(writer, upload, 22, size, partSize, 3, new Random(2));
      assertThat(receipts).hasSizeGreaterThan(30);
      assertThat(writer.complete(upload, receipts).size()).isEqualTo(size);
      long[] count = {0};
      int actual;
      try (InputStream in = store.read("m/big", 0, size)) {
        actual = crc32c(in, count);
      }
      assertThat(count[0]).isEqualTo(size);
      assertThat(actual).isEqualTo(crc32c(22, size));
      store.delete("m/big");
    }

    @Test
    void nothingIsVisibleBeforeCompleteAndAbortLeavesNothing() throws Exception {
      MultipartWriter writer = store.multipart();
      long partSize = Math.max(writer.minPartSize(), 1 << 20);
      MultipartUpload upload = writer.create("m/aborted");
      Uploads.uploadAll(writer, upload, 23, 2 * partSize, partSize, 2, new Random(3));
      assertNoObject("m/aborted");
      assertThat(writer.pending("m/")).extracting(MultipartUpload::uploadId).contains(upload.uploadId());
      writer.abort(upload);
      assertThat(writer.pending("m/")).isEmpty();
      assertThat(writer.pending("")).isEmpty();
      assertNoObject("m/aborted");
      writer.abort(upload); // aborting again is not an error
    }

    @Test
    void completeRetriedAfterSuccessReturnsTheObject() throws Exception {
      MultipartWriter writer = store.multipart();
      long partSize = Math.max(writer.minPartSize(), 1 << 20);
      long size = partSize + 77;
      MultipartUpload upload = writer.create("m/twice");
      List<PartReceipt> receipts = Uploads.uploadAll(writer, upload, 24, size, partSize, 2, new Random(4));
      writer.complete(upload, receipts);
      assertThat(writer.complete(upload, receipts).size()).isEqualTo(size);
      writer.abort(upload); // after complete: nothing to do, the object stays
      assertThat(read("m/twice", 0, size)).isEqualTo(bytes(24, (int) size));
      assertThat(writer.pending("")).isEmpty();
    }

    @Test
    void pendingFiltersByPrefixAndAnUploadCanBeEmptyOfParts() throws Exception {
      MultipartWriter writer = store.multipart();
      MultipartUpload one = writer.create("pa/one");
      MultipartUpload two = writer.create("pb/two");
      if (tracksUploadsWithoutParts()) {
        assertThat(writer.pending("pa/")).extracting(MultipartUpload::key).containsExactly("pa/one");
        assertThat(writer.pending("")).extracting(MultipartUpload::key).containsExactlyInAnyOrder("pa/one", "pb/two");
      }
      assertThat(withoutTemporaries(keys(""))).isEmpty();
      writer.abort(one);
      writer.abort(two);
      assertThat(writer.pending("")).isEmpty();
    }

    @Test
    void reportsItsLimits() {
      assertThat(store.multipart().minPartSize()).isPositive();
      assertThat(store.multipart().maxParts()).isGreaterThanOrEqualTo(1000);
    }
  }

  /**
   * Parts uploaded from {@link PartData} whose bytes are still arriving ({@link ArrivingPart}): stores
   * that can stream a request body send them as they arrive; the others (local files) read the
   * whole part first. Either way a part is stored whole and checked against its CRC32C.
   */
  @Nested
  class StreamedParts {
    private MultipartWriter writer;
    private int partSize;

    @BeforeEach
    void writer() {
      writer = store.multipart();
      partSize = (int) Math.max(writer.minPartSize(), 1 << 20);
    }

    @Test
    void aPartArrivingSlowlyInPiecesIsStoredWhole() throws Exception {
      byte[] data = bytes(51, partSize + 4321);
      MultipartUpload upload = writer.create("s/slow");
      PartReceipt receipt;
      try (ArrivingPart part = ArrivingPart.arriving(data, 64 << 10, 2)) {
        receipt = writer.upload(upload, 1, 0, part);
        assertThat(part.opens()).isPositive();
      }
      assertThat(receipt.length()).isEqualTo(data.length);
      assertThat(receipt.crc32c()).isEqualTo(crc32c(data));
      assertThat(writer.complete(upload, List.of(receipt)).size()).isEqualTo(data.length);
      assertThat(read("s/slow", 0, data.length)).isEqualTo(data);
      assertThat(writer.pending("")).isEmpty();
    }

    @Test
    void aPartWhoseChecksumDiffersFailsFatallyAndAbortLeavesNothing() throws Exception {
      byte[] data = bytes(52, partSize);
      MultipartUpload upload = writer.create("s/wrong");
      try (ArrivingPart part = ArrivingPart.claiming(data, crc32c(data) ^ 1, 256 << 10, 1)) {
        assertThatThrownBy(() -> writer.upload(upload, 1, 0, part))
            .isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL));
      }
      assertNoObject("s/wrong");
      writer.abort(upload);
      assertThat(writer.pending("")).isEmpty();
      assertThat(keys("")).isEmpty();
    }

    @Test
    void aPartAbandonedWhileItArrivesFailsAtOnceAndAbortLeavesNothing() throws Exception {
      byte[] data = bytes(53, partSize);
      MultipartUpload upload = writer.create("s/abandoned");
      long started = System.nanoTime();
      try (ArrivingPart part = ArrivingPart.abandonedAt(data, data.length / 2, 64 << 10, 2)) {
        assertThatThrownBy(() -> writer.upload(upload, 1, 0, part)).isInstanceOf(IOException.class);
        assertThat(part.opens()).as("the failed data was not sent again").isEqualTo(1);
      }
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(20));
      assertNoObject("s/abandoned");
      writer.abort(upload);
      assertThat(writer.pending("")).isEmpty();
      assertThat(keys("")).isEmpty();
    }

    @Test
    void threePartsMixingStreamedAndBufferedOnes() throws Exception {
      int size = 2 * partSize + 1000;
      byte[] data = bytes(54, size);
      MultipartUpload upload = writer.create("s/mixed");
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try (ArrivingPart second = ArrivingPart.arriving(Arrays.copyOfRange(data, partSize, 2 * partSize), 128 << 10, 2);
          ArrivingPart third = ArrivingPart.arriving(Arrays.copyOfRange(data, 2 * partSize, size), 100, 1)) {
        Future<PartReceipt> two = pool.submit(() -> writer.upload(upload, 2, partSize, second));
        Future<PartReceipt> three = pool.submit(() -> writer.upload(upload, 3, 2L * partSize, third));
        PartReceipt one = writer.upload(upload, 1, 0, data, 0, partSize, crc32c(data, 0, partSize));
        List<PartReceipt> receipts = List.of(three.get(), one, two.get());
        assertThat(writer.complete(upload, receipts).size()).isEqualTo(size);
      } finally {
        pool.shutdownNow();
      }
      assertThat(read("s/mixed", 0, size)).isEqualTo(data);
      assertThat(store.stat("s/mixed")).get().extracting(ObjectInfo::size).isEqualTo((long) size);
      assertThat(writer.pending("")).isEmpty();
    }
  }

  @Nested
  class Errors {
    @Test
    void listingAMissingBucketIsNotFound() throws Exception {
      try (ObjectStore missing = storeWithoutBucket()) {
        assertThatThrownBy(() -> {
          try (ObjectListing listing = missing.list("")) {
            listing.hasNext();
          }
        }).satisfiesAnyOf(
            e -> assertThat(e).isInstanceOfSatisfying(StoreException.class,
                s -> assertThat(s.kind()).isEqualTo(StoreException.Kind.NOT_FOUND)),
            e -> assertThat(e.getCause()).isInstanceOfSatisfying(StoreException.class,
                s -> assertThat(s.kind()).isEqualTo(StoreException.Kind.NOT_FOUND)));
      }
    }

    @Test
    void readingFromAMissingBucketIsNotFound() throws Exception {
      try (ObjectStore missing = storeWithoutBucket()) {
        assertThatThrownBy(() -> missing.read("k", 0, 1)).isInstanceOfSatisfying(StoreException.class,
            e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
      }
    }

    @Test
    void emptyKeyIsFatal() {
      assertThatThrownBy(() -> store.stat("")).isInstanceOfSatisfying(StoreException.class,
          e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL));
    }

    @Test
    void messagesNameTheActionAndUri() {
      assertThatThrownBy(() -> read("e/missing key", 0, 10))
          .hasMessageContaining("read").hasMessageContaining(store.uri("e/missing key"));
    }

    @Test
    void uploadingToAnAbortedUploadFails() throws Exception {
      MultipartWriter writer = store.multipart();
      MultipartUpload upload = writer.create("e/gone");
      writer.abort(upload);
      byte[] data = bytes(25, 100);
      if (rejectsPartsOfAbortedUploads()) {
        assertThatThrownBy(() -> writer.upload(upload, 1, 0, data, 0, data.length, crc32c(data)))
            .isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
      } else {
        writer.upload(upload, 1, 0, data, 0, data.length, crc32c(data));
        if (partsAfterAbortNeedASweep()) {
          assertThat(withoutTemporaries(keys(""))).isEmpty();
          writer.abort(upload);
        }
      }
      assertThat(keys("")).isEmpty();
      assertThat(writer.pending("")).isEmpty();
    }
  }
}
