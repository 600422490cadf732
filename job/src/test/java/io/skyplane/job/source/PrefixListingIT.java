package io.skyplane.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreSpec;
import io.skyplane.testing.servers.GcsServerExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link PrefixListing} on our GCS server: a level whose first 1,000 entries are objects (so it is
 * split as its child prefixes turn up, on later pages) and a prefix split at once.
 */
class PrefixListingIT {
  @RegisterExtension
  static final GcsServerExtension GCS = GcsServerExtension.shared();

  @Test
  void listsEveryObjectOnceWhateverTheLevelLooksLike() throws Exception {
    String bucket = "prefix-listing";
    try (Storage storage = StorageOptions.http().setHost(GCS.endpoint().endpoint().toString())
        .setProjectId(GCS.endpoint().projectId()).setCredentials(NoCredentials.getInstance())
        .build().getService()) {
      storage.create(BucketInfo.of(bucket));
    }
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 1_050; i++) {
      keys.add(String.format("a%04d", i)); // before the child prefixes in key order
    }
    for (int d = 0; d < 30; d++) {
      for (int f = 0; f < 8; f++) {
        keys.add(String.format("d%02d/sub/f%d", d, f));
      }
    }
    keys.add("z/only/child");
    try (ObjectStore store = ObjectStores.open(new StoreSpec("gs", bucket, Map.of(
        "endpoint", GCS.endpoint().endpoint().toString(),
        "project", GCS.endpoint().projectId(),
        "anonymous", "true")))) {
      putAll(store, keys);
      for (String prefix : List.of("", "d", "d1", "d07/")) {
        List<String> expected = new ArrayList<>();
        try (ObjectListing listing = store.list(prefix)) {
          listing.forEachRemaining(o -> expected.add(o.key()));
        }
        List<String> listed = new ArrayList<>();
        try (PrefixListing listing = PrefixListing.open(store, prefix)) {
          listing.forEachRemaining(o -> listed.add(o.key()));
        }
        assertThat(listed).as(prefix).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
      }
    }
  }

  private static void putAll(ObjectStore store, List<String> keys) throws Exception {
    byte[] one = {7};
    CRC32C crc = new CRC32C();
    crc.update(one);
    int checksum = (int) crc.getValue();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (String key : keys) {
        puts.add(pool.submit(() -> store.put(key, one, 0, 1, checksum)));
      }
      for (Future<?> put : puts) {
        put.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
