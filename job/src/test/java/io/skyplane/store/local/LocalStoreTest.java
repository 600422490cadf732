package io.skyplane.store.local;

import static io.skyplane.store.TestData.bytes;
import static io.skyplane.store.TestData.crc32c;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.store.MultipartUpload;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalStoreTest {
  @TempDir Path dir;

  private ObjectStore open(Path root) throws IOException {
    return new LocalStoreFactory().open(new StoreSpec("file", "", Map.of("root", root.toString())));
  }

  /**
   * Every put creates the reserved area when it is missing and removes it when it is left empty;
   * four threads doing that 30,000 times used to lose the race between one put's creating the area
   * and another's removing it (about one put in 10,000 failed, "not found" or "already exists").
   */
  @Test
  void concurrentPutsNeverLoseTheReservedAreaAndLeaveNothing() throws Exception {
    byte[] one = {42};
    int crc = crc32c(one);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 30; round++) {
        Path root = Files.createDirectories(dir.resolve("root-" + round));
        try (ObjectStore store = open(root)) {
          List<Future<?>> puts = new ArrayList<>();
          for (int i = 0; i < 1_000; i++) {
            String key = "many/f" + i;
            puts.add(pool.submit(() -> store.put(key, one, 0, 1, crc)));
          }
          for (Future<?> put : puts) {
            put.get();
          }
        }
        assertThat(root.resolve(".skyplane-tmp")).doesNotExist();
        try (var files = Files.list(root.resolve("many"))) {
          assertThat(files.count()).isEqualTo(1_000);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../outside", "a/../../outside", "/etc/passwd", "a//b", "./a", "a/.", "a/"})
  void keysCannotLeaveTheRoot(String key) throws IOException {
    Path root = Files.createDirectories(dir.resolve("root"));
    try (ObjectStore store = open(root)) {
      byte[] data = bytes(1, 3);
      assertThatThrownBy(() -> store.put(key, data, 0, 3, crc32c(data)))
          .isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL);
            assertThat(e.getMessage()).contains("cannot put");
          });
      assertThatThrownBy(() -> store.read(key, 0, 1)).isInstanceOf(StoreException.class);
    }
    try (var files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void uploadsLieInTheReservedAreaUnderShortNamesAndArePending() throws IOException {
    try (ObjectStore store = open(dir)) {
      String longKey = "a/" + "n".repeat(255);
      MultipartUpload upload = store.multipart().create(longKey, "0123456789ab");
      assertThat(upload.uploadId()).matches("0123456789ab-[0-9a-f]{32}");
      Path temp = dir.resolve(".skyplane-tmp").resolve(upload.uploadId()).resolve("data");
      assertThat(temp).exists();
      assertThat(store.multipart().pending("a/")).containsExactly(
          new MultipartUpload(longKey, upload.uploadId(), store.multipart().pending("a/").get(0).startedMillis()));
      assertThat(store.multipart().pending("b/")).isEmpty();
      // names that looked like our temporaries once are a user's like any other
      byte[] data = bytes(7, 4);
      store.put("a/.obj.skyplane-0123456789abcdef.tmp", data, 0, 4, crc32c(data));
      assertThat(store.stat("a/.obj.skyplane-0123456789abcdef.tmp")).isPresent();
      store.multipart().abort(upload);
      assertThat(temp).doesNotExist();
      assertThat(dir.resolve(".skyplane-tmp")).doesNotExist();
    }
  }

  @Test
  void aPutKeepsTheGivenTimeAndLeavesNothingInTheArea() throws IOException {
    try (ObjectStore store = open(dir)) {
      byte[] data = bytes(8, 1000);
      store.put("d/f", io.skyplane.store.PartData.of(data, 0, data.length, crc32c(data)),
          new io.skyplane.store.WriteOptions("0123456789ab", 1_600_000_000_123L));
      assertThat(Files.getLastModifiedTime(dir.resolve("d/f")).toMillis()).isEqualTo(1_600_000_000_123L);
      assertThat(Files.readAllBytes(dir.resolve("d/f"))).isEqualTo(data);
      assertThat(dir.resolve(".skyplane-tmp")).doesNotExist();
      assertThatThrownBy(() -> store.put("d/g", io.skyplane.store.PartData.of(data, 0, data.length, 42),
          io.skyplane.store.WriteOptions.NONE)).isInstanceOfSatisfying(StoreException.class,
              e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL));
      assertThat(dir.resolve("d/g")).doesNotExist();
      assertThat(dir.resolve(".skyplane-tmp")).doesNotExist();
    }
  }

  @Test
  void missingRootIsNotFound() {
    assertThatThrownBy(() -> open(dir.resolve("missing")))
        .isInstanceOfSatisfying(StoreException.class,
            e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
  }

  @Test
  void completeChecksThatPartsAreContiguous() throws IOException {
    try (ObjectStore store = open(dir)) {
      var writer = store.multipart();
      MultipartUpload upload = writer.create("gap");
      byte[] data = bytes(2, 10);
      var one = writer.upload(upload, 1, 0, data, 0, 10, crc32c(data));
      var two = writer.upload(upload, 2, 20, data, 0, 10, crc32c(data));
      assertThatThrownBy(() -> writer.complete(upload, List.of(one, two)))
          .hasMessageContaining("part 2 starts at 20, expected 10");
      writer.abort(upload);
      List<String> left = new ArrayList<>();
      try (var files = Files.walk(dir)) {
        files.filter(Files::isRegularFile).forEach(p -> left.add(p.toString()));
      }
      assertThat(left).isEmpty();
    }
  }
}
