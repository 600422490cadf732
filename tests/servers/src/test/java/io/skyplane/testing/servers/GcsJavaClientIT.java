package io.skyplane.testing.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.StorageBatch;
import com.google.cloud.storage.StorageBatchResult;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official google-cloud-storage client against the project's GCS server, unmodified. */
class GcsJavaClientIT {
  @RegisterExtension static final GcsServerExtension GCS = new GcsServerExtension();

  private static final String BUCKET = "java-client";
  private static Storage storage;

  @BeforeAll
  static void client() {
    storage = StorageOptions.http()
        .setHost(GCS.endpoint().endpoint().toString())
        .setProjectId(GCS.endpoint().projectId())
        .setCredentials(NoCredentials.getInstance())
        .build()
        .getService();
    storage.create(BucketInfo.of(BUCKET));
  }

  @Test
  void createsAndReadsWithMetadataAndHashes() throws Exception {
    byte[] data = "hello gcs".getBytes(StandardCharsets.UTF_8);
    Blob blob = storage.create(BlobInfo.newBuilder(BUCKET, "dir/hello.txt")
        .setContentType("text/plain").setMetadata(Map.of("k", "v")).build(), data);
    assertThat(blob.getSize()).isEqualTo(data.length);
    assertThat(blob.getMd5()).isEqualTo(java.util.Base64.getEncoder().encodeToString(
        java.security.MessageDigest.getInstance("MD5").digest(data)));
    Blob fetched = storage.get(BlobId.of(BUCKET, "dir/hello.txt"));
    assertThat(fetched.getContentType()).isEqualTo("text/plain");
    assertThat(fetched.getMetadata()).containsEntry("k", "v");
    assertThat(fetched.getCrc32c()).isEqualTo(blob.getCrc32c());
    assertThat(storage.readAllBytes(BlobId.of(BUCKET, "dir/hello.txt"))).isEqualTo(data);
    assertThat(storage.get(BlobId.of(BUCKET, "missing"))).isNull();
  }

  @Test
  void listsWithPagingPrefixesAndOffsets() {
    for (int i = 0; i < 23; i++) {
      storage.create(BlobInfo.newBuilder(BUCKET, String.format("list/f%02d", i)).build(),
          new byte[] {(byte) i});
    }
    storage.create(BlobInfo.newBuilder(BUCKET, "list/sub/a").build(), new byte[1]);
    storage.create(BlobInfo.newBuilder(BUCKET, "list/sub2/b").build(), new byte[1]);

    List<String> names = new ArrayList<>();
    storage.list(BUCKET, BlobListOption.prefix("list/"), BlobListOption.pageSize(5))
        .iterateAll().forEach(b -> names.add(b.getName()));
    assertThat(names).hasSize(25).isSorted();

    List<String> top = new ArrayList<>();
    storage.list(BUCKET, BlobListOption.prefix("list/"), BlobListOption.currentDirectory(),
        BlobListOption.pageSize(4)).iterateAll().forEach(b -> top.add(b.getName()));
    assertThat(top).hasSize(25).contains("list/sub/", "list/sub2/").doesNotContain("list/sub/a");

    List<String> window = new ArrayList<>();
    storage.list(BUCKET, BlobListOption.startOffset("list/f10"),
            BlobListOption.endOffset("list/f13"))
        .iterateAll().forEach(b -> window.add(b.getName()));
    assertThat(window).containsExactly("list/f10", "list/f11", "list/f12");
  }

  @Test
  void readsRanges() throws Exception {
    byte[] data = random(3 << 20, 1);
    storage.create(BlobInfo.newBuilder(BUCKET, "ranges").build(), data);
    try (ReadChannel reader = storage.reader(BlobId.of(BUCKET, "ranges"))) {
      reader.seek(1_000_000);
      reader.limit(1_500_000);
      ByteBuffer buf = ByteBuffer.allocate(600_000);
      while (reader.read(buf) > 0) {
        // fill
      }
      buf.flip();
      assertThat(buf.remaining()).isEqualTo(500_000);
      byte[] got = new byte[buf.remaining()];
      buf.get(got);
      assertThat(got).isEqualTo(Arrays.copyOfRange(data, 1_000_000, 1_500_000));
    }
  }

  @Test
  void resumableWriteInChunks() throws Exception {
    byte[] data = random((5 << 20) + 12345, 2);
    try (WriteChannel writer = storage.writer(BlobInfo.newBuilder(BUCKET, "resumable").build())) {
      writer.setChunkSize(256 * 1024);
      for (int off = 0; off < data.length; off += 100_000) {
        writer.write(ByteBuffer.wrap(data, off, Math.min(100_000, data.length - off)));
      }
    }
    assertThat(storage.get(BlobId.of(BUCKET, "resumable")).getSize()).isEqualTo(data.length);
    assertThat(storage.readAllBytes(BlobId.of(BUCKET, "resumable"))).isEqualTo(data);
  }

  @Test
  void composesAndRewrites() {
    storage.create(BlobInfo.newBuilder(BUCKET, "part-1").build(), "abc".getBytes());
    storage.create(BlobInfo.newBuilder(BUCKET, "part-2").build(), "def".getBytes());
    Blob composed = storage.compose(Storage.ComposeRequest.newBuilder()
        .addSource("part-1", "part-2")
        .setTarget(BlobInfo.newBuilder(BUCKET, "composed").setContentType("text/x").build())
        .build());
    assertThat(composed.getSize()).isEqualTo(6);
    assertThat(storage.readAllBytes(BlobId.of(BUCKET, "composed"))).isEqualTo("abcdef".getBytes());

    CopyWriter copy = storage.copy(Storage.CopyRequest.of(BUCKET, "composed",
        BlobId.of(BUCKET, "copied")));
    assertThat(copy.getResult().getSize()).isEqualTo(6);
    assertThat(copy.getResult().getContentType()).isEqualTo("text/x");
    assertThat(storage.readAllBytes(BlobId.of(BUCKET, "copied"))).isEqualTo("abcdef".getBytes());
  }

  @Test
  void enforcesGenerationPreconditions() {
    Blob v1 = storage.create(BlobInfo.newBuilder(BUCKET, "pre").build(), "1".getBytes(),
        BlobTargetOption.doesNotExist());
    assertThatThrownBy(() -> storage.create(BlobInfo.newBuilder(BUCKET, "pre").build(),
        "2".getBytes(), BlobTargetOption.doesNotExist()))
        .isInstanceOfSatisfying(StorageException.class,
            e -> assertThat(e.getCode()).isEqualTo(412));
    Blob v2 = storage.create(BlobInfo.newBuilder(BlobId.of(BUCKET, "pre", v1.getGeneration()))
        .build(), "2".getBytes(), BlobTargetOption.generationMatch());
    assertThat(v2.getGeneration()).isGreaterThan(v1.getGeneration());
    assertThatThrownBy(() -> storage.create(BlobInfo.newBuilder(BlobId.of(BUCKET, "pre",
        v1.getGeneration())).build(), "3".getBytes(), BlobTargetOption.generationMatch()))
        .isInstanceOfSatisfying(StorageException.class,
            e -> assertThat(e.getCode()).isEqualTo(412));
    assertThat(storage.readAllBytes(BlobId.of(BUCKET, "pre"))).isEqualTo("2".getBytes());
  }

  @Test
  void patchesMetadataAndDeletesInBatch() {
    Blob blob = storage.create(BlobInfo.newBuilder(BUCKET, "meta").build(), new byte[10]);
    Blob updated = storage.update(blob.toBuilder().setMetadata(Map.of("a", "1"))
        .setContentType("application/x-test").build());
    assertThat(updated.getMetadata()).containsEntry("a", "1");
    assertThat(updated.getMetageneration()).isEqualTo(2L);
    assertThat(updated.getContentType()).isEqualTo("application/x-test");

    IntStream.range(0, 5).forEach(i ->
        storage.create(BlobInfo.newBuilder(BUCKET, "batch/" + i).build(), new byte[] {1}));
    StorageBatch batch = storage.batch();
    List<StorageBatchResult<Boolean>> results = new ArrayList<>();
    IntStream.range(0, 5).forEach(i -> results.add(batch.delete(BUCKET, "batch/" + i)));
    StorageBatchResult<Boolean> missing = batch.delete(BUCKET, "batch/none");
    batch.submit();
    results.forEach(r -> assertThat(r.get()).isTrue());
    assertThat(missing.get()).isFalse();
    assertThat(storage.list(BUCKET, BlobListOption.prefix("batch/")).getValues()).isEmpty();
  }

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
