package io.skyplane.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.store.DelimitedListing;
import io.skyplane.store.MultipartWriter;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreSpec;
import io.skyplane.store.local.LocalStoreFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PrefixListing} on local files, through a store that records (or fails) its listings. */
class PrefixListingTest {
  /** 50 dirs of 40 files, 5 files at the top and a single-child chain, shared by the tests. */
  @TempDir static Path bigRoot;
  private static List<String> bigKeys;
  @TempDir Path root;

  private ObjectStore big;
  private ObjectStore local;

  @BeforeAll
  static void bigTree() throws IOException {
    List<String> keys = new ArrayList<>();
    for (int d = 0; d < 50; d++) {
      for (int f = 0; f < 40; f++) {
        keys.add(String.format("d%02d/f%02d", d, f));
      }
    }
    for (int t = 0; t < 5; t++) {
      keys.add("top" + t);
    }
    keys.add("a/b/c/d/leaf");
    for (String key : keys) {
      file(bigRoot, key);
    }
    bigKeys = List.copyOf(keys);
  }

  @BeforeEach
  void openStores() throws IOException {
    big = open(bigRoot);
    local = open(root);
  }

  private static ObjectStore open(Path dir) throws IOException {
    return ObjectStores.open(new StoreSpec("file", "", Map.of(LocalStoreFactory.ROOT, dir.toString())));
  }

  @AfterEach
  void noListingThreadIsLeft() throws Exception {
    big.close();
    local.close();
    assertThat(awaitNoListingThreads()).as("skyplane-listing threads alive").isEmpty();
  }

  private static void file(Path dir, String key) throws IOException {
    Path path = dir.resolve(key);
    Files.createDirectories(path.getParent());
    Files.writeString(path, key);
  }

  private void file(String key) throws IOException {
    file(root, key);
  }

  private List<String> sequentialKeys(String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    try (ObjectListing listing = big.list(prefix)) {
      listing.forEachRemaining(o -> keys.add(o.key()));
    }
    return keys;
  }

  private static List<String> drain(PrefixListing listing) {
    List<String> keys = new ArrayList<>();
    listing.forEachRemaining(o -> keys.add(o.key()));
    return keys;
  }

  @Test
  void listsEveryObjectOnceOnSeveralThreads() throws Exception {
    List<String> all = bigKeys;
    Recording store = new Recording(big, 2);
    try (PrefixListing listing = PrefixListing.open(store, "")) {
      assertThat(drain(listing)).hasSize(all.size()).containsExactlyInAnyOrderElementsOf(all);
    }
    assertThat(store.levels).containsExactly("");
    assertThat(store.listedBy.keySet()).hasSize(51).contains("d00/", "d49/", "a/");
    Set<String> threads = Set.copyOf(store.listedBy.values());
    assertThat(threads).hasSizeGreaterThan(1).allMatch(name -> name.startsWith("skyplane-listing-"));
  }

  @Test
  void everyPrefixListsTheSameObjectsAsTheStore() throws Exception {
    for (String prefix : List.of("", "d1", "d07/", "d07/f1", "a/", "a/b/c/d/", "t", "nothing/", "top0")) {
      try (PrefixListing listing = PrefixListing.open(new Recording(big, 0), prefix, 3, 7)) {
        List<String> keys = drain(listing);
        assertThat(keys).as(prefix).doesNotHaveDuplicates()
            .containsExactlyInAnyOrderElementsOf(sequentialKeys(prefix));
      }
    }
  }

  @Test
  void descendsSingleChildPrefixesBeforeSplitting() throws Exception {
    List<String> keys = List.of("a/b/c/x/1", "a/b/c/x/2", "a/b/c/y/1", "a/b/c/z/1");
    for (String key : keys) {
      file(key);
    }
    Recording store = new Recording(local, 0);
    try (PrefixListing listing = PrefixListing.open(store, "a/")) {
      assertThat(drain(listing)).containsExactlyInAnyOrderElementsOf(keys);
    }
    assertThat(store.levels).containsExactly("a/", "a/b/", "a/b/c/");
    assertThat(store.listedBy.keySet()).containsExactlyInAnyOrder("a/b/c/x/", "a/b/c/y/", "a/b/c/z/");
    assertThat(store.listedBy.values()).allMatch(name -> name.startsWith("skyplane-listing-"));
  }

  @Test
  void listsSequentiallyWhenThereIsNothingToSplit() throws Exception {
    List<String> chain = List.of("deep/1/2/3/4/5/6/x", "deep/1/2/3/4/5/6/y");
    for (String key : List.of("s/file", "s/sub/x", "s/sub/y", chain.get(0), chain.get(1))) {
      file(key);
    }
    String caller = Thread.currentThread().getName();

    Recording oneChild = new Recording(local, 0);
    try (PrefixListing listing = PrefixListing.open(oneChild, "s/")) {
      assertThat(drain(listing)).containsExactly("s/file", "s/sub/x", "s/sub/y"); // in key order
    }
    assertThat(oneChild.listedBy).containsExactly(Map.entry("s/", caller));

    Recording deep = new Recording(local, 0);
    try (PrefixListing listing = PrefixListing.open(deep, "deep/")) {
      assertThat(drain(listing)).containsExactlyElementsOf(chain);
    }
    assertThat(deep.levels).hasSize(PrefixListing.MAX_DESCENT + 1);
    assertThat(deep.listedBy).containsExactly(Map.entry("deep/1/2/3/4/", caller));

    ObjectStore withoutLevels = new Wrapping(local);
    try (PrefixListing listing = PrefixListing.open(withoutLevels, "s/")) {
      assertThat(drain(listing)).containsExactly("s/file", "s/sub/x", "s/sub/y");
    }
  }

  @Test
  void aFailingChildListingSurfacesFromTheIterator() throws Exception {
    StoreException injected = new StoreException(StoreException.Kind.RETRYABLE, "cannot list d17/: injected");
    Recording store = new Recording(big, 0);
    store.failing.put("d17/", injected);
    try (PrefixListing listing = PrefixListing.open(store, "", 4, 16)) {
      assertThatThrownBy(() -> drain(listing)).isInstanceOfSatisfying(UncheckedIOException.class,
          e -> assertThat(e.getCause()).isSameAs(injected));
      assertThatThrownBy(listing::hasNext).isInstanceOf(UncheckedIOException.class);
    }
  }

  @Test
  void aChildListingFailingHalfwaySurfacesToo() throws Exception {
    StoreException injected = new StoreException(StoreException.Kind.THROTTLED, "page 2 of d30/: injected");
    Recording store = new Recording(big, 0);
    store.failingAfterFive.put("d30/", injected);
    try (PrefixListing listing = PrefixListing.open(store, "")) {
      assertThatThrownBy(() -> drain(listing)).isInstanceOfSatisfying(UncheckedIOException.class,
          e -> assertThat(e.getCause()).isSameAs(injected));
    }
  }

  @Test
  void aFailingLevelSurfacesFromOpenOrFromTheIterator() throws Exception {
    StoreException injected = new StoreException(StoreException.Kind.RETRYABLE, "level page 2: injected");
    Recording whilePeeking = new Recording(big, 0);
    whilePeeking.levelFailsAfter = 1;
    whilePeeking.levelFailure = injected;
    assertThatThrownBy(() -> PrefixListing.open(whilePeeking, "")).isSameAs(injected);

    Recording whileSplitting = new Recording(big, 0);
    whileSplitting.levelFailsAfter = 20; // after the two child prefixes that decide to split
    whileSplitting.levelFailure = injected;
    try (PrefixListing listing = PrefixListing.open(whileSplitting, "", 4, 16)) {
      assertThatThrownBy(() -> drain(listing)).isInstanceOfSatisfying(UncheckedIOException.class,
          e -> assertThat(e.getCause()).isSameAs(injected));
    }
  }

  @Test
  void closeStopsTheThreadsOfAnUnfinishedListing() throws Exception {
    PrefixListing listing = PrefixListing.open(new Recording(big, 0), "", 6, 8);
    for (int i = 0; i < 10; i++) {
      listing.next();
    }
    // 2,000 objects do not fit the queue of 8: the threads wait for room.
    assertThat(listingThreads()).isNotEmpty();
    listing.close();
    assertThat(awaitNoListingThreads()).isEmpty();
    assertThat(listing.hasNext()).isFalse();
  }

  @Test
  void closeFromAnotherThreadReleasesAWaitingConsumer() throws Exception {
    Recording slow = new Recording(big, 1_000); // every child listing waits (until interrupted)
    PrefixListing listing = PrefixListing.open(slow, "d0", 4, 16); // d00/ to d09/, no object
    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(listing::hasNext);
    Thread.sleep(300);
    assertThat(waiting).isNotDone();
    listing.close();
    assertThat(waiting.get(5, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void anInterruptedConsumerEndsTheListingAsAFailure() throws Exception {
    Recording slow = new Recording(big, 1_000); // every child listing waits (until interrupted)
    try (PrefixListing listing = PrefixListing.open(slow, "d0", 4, 16)) {
      Thread.currentThread().interrupt();
      assertThatThrownBy(listing::hasNext).isInstanceOf(UncheckedIOException.class);
      assertThat(Thread.interrupted()).as("the interrupt stays set").isTrue();
      assertThat(awaitNoListingThreads()).isEmpty();
      assertThatThrownBy(listing::hasNext).isInstanceOf(UncheckedIOException.class);
    }
  }

  @Test
  void aMissingRootIsNotFound() throws Exception {
    Path gone = Files.createDirectory(root.resolve("gone"));
    ObjectStore missing = open(gone);
    Files.delete(gone);
    assertThatThrownBy(() -> PrefixListing.open(missing, "")).isInstanceOfSatisfying(StoreException.class,
        e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
  }

  private static List<Thread> listingThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("skyplane-listing-")).toList();
  }

  private static List<Thread> awaitNoListingThreads() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!listingThreads().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return listingThreads();
  }

  /** Delegates everything to a store; no {@link DelimitedListing}. */
  private static class Wrapping implements ObjectStore {
    final ObjectStore store;

    Wrapping(ObjectStore store) {
      this.store = store;
    }

    @Override
    public String uri(String key) {
      return store.uri(key);
    }

    @Override
    public ObjectListing list(String prefix) throws IOException {
      return store.list(prefix);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
      return store.stat(key);
    }

    @Override
    public InputStream read(String key, long offset, long length) throws IOException {
      return store.read(key, offset, length);
    }

    @Override
    public ObjectInfo put(String key, byte[] data, int offset, int length, int crc32c) throws IOException {
      return store.put(key, data, offset, length, crc32c);
    }

    @Override
    public void delete(String key) throws IOException {
      store.delete(key);
    }

    @Override
    public MultipartWriter multipart() {
      return store.multipart();
    }

    @Override
    public void close() {}
  }

  /**
   * Records which levels were listed and which thread listed each prefix; fails listings on
   * request. The first {@code meet} listings wait (up to 10 s) until that many run at once, so a
   * test can tell the listing used several threads.
   */
  private static final class Recording extends Wrapping implements DelimitedListing {
    final List<String> levels = new CopyOnWriteArrayList<>();
    final Map<String, String> listedBy = new ConcurrentHashMap<>();
    final Map<String, StoreException> failing = new ConcurrentHashMap<>();
    final Map<String, StoreException> failingAfterFive = new ConcurrentHashMap<>();
    volatile StoreException levelFailure;
    volatile int levelFailsAfter;
    private final CountDownLatch meeting;

    Recording(ObjectStore store, int meet) {
      super(store);
      this.meeting = new CountDownLatch(meet);
    }

    @Override
    public Level listLevel(String prefix) throws IOException {
      levels.add(prefix);
      Level level = ((DelimitedListing) store).listLevel(prefix);
      if (levelFailure == null) {
        return level;
      }
      return new Level() {
        private int handed;

        @Override
        public boolean hasNext() {
          if (handed == levelFailsAfter) {
            throw new UncheckedIOException(levelFailure);
          }
          return level.hasNext();
        }

        @Override
        public LevelEntry next() {
          hasNext();
          handed++;
          return level.next();
        }

        @Override
        public void close() throws IOException {
          level.close();
        }
      };
    }

    @Override
    public ObjectListing list(String prefix) throws IOException {
      listedBy.put(prefix, Thread.currentThread().getName());
      if (meeting.getCount() > 0) {
        meeting.countDown();
        try {
          meeting.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (failing.containsKey(prefix)) {
        throw failing.get(prefix);
      }
      ObjectListing listing = store.list(prefix);
      StoreException later = failingAfterFive.get(prefix);
      if (later == null) {
        return listing;
      }
      return new ObjectListing() {
        private int handed;

        @Override
        public boolean hasNext() {
          if (handed == 5) {
            throw new UncheckedIOException(later);
          }
          return listing.hasNext();
        }

        @Override
        public ObjectInfo next() {
          hasNext();
          handed++;
          return listing.next();
        }

        @Override
        public void close() throws IOException {
          listing.close();
        }
      };
    }
  }
}
