package io.skyplane.testing.servers;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 1 GiB object up and down through the official client while the server's heap is capped at
 * 256 MiB: the server streams to and from disk.
 */
class GcsLargeObjectIT {
  private static final long SIZE = 1L << 30;
  private static final int BLOCK = 1 << 20;

  @RegisterExtension static final GcsServerExtension GCS =
      new GcsServerExtension(ServerOptions.loopback().withHeap("256m"));

  @Test
  void oneGibibyteRoundTripWithSmallServerHeap() throws Exception {
    assertThat(ProcessHandle.of(GCS.server().pid()).orElseThrow().info().arguments().orElseThrow())
        .contains("-Xmx256m");
    Storage storage = StorageOptions.http()
        .setHost(GCS.endpoint().endpoint().toString())
        .setProjectId(GCS.endpoint().projectId())
        .setCredentials(NoCredentials.getInstance())
        .build()
        .getService();
    storage.create(BucketInfo.of("large"));
    BlobId id = BlobId.of("large", "one-gib");

    byte[] block = GcsJavaClientIT.random(BLOCK, 7);
    CRC32C sent = new CRC32C();
    try (WriteChannel writer = storage.writer(BlobInfo.newBuilder(id).build())) {
      writer.setChunkSize(32 << 20);
      for (long i = 0; i < SIZE / BLOCK; i++) {
        ByteBuffer.wrap(block).putLong(i); // make every block different
        sent.update(block);
        ByteBuffer buf = ByteBuffer.wrap(block);
        while (buf.hasRemaining()) {
          writer.write(buf);
        }
      }
    }
    Blob blob = storage.get(id);
    assertThat(blob.getSize()).isEqualTo(SIZE);
    assertThat(blob.getCrc32c()).isEqualTo(crc32cBase64(sent));

    CRC32C received = new CRC32C();
    long total = 0;
    try (ReadChannel reader = storage.reader(id)) {
      reader.setChunkSize(16 << 20);
      ByteBuffer buf = ByteBuffer.allocate(4 << 20);
      int n;
      while ((n = reader.read(buf)) >= 0) {
        buf.flip();
        received.update(buf);
        buf.clear();
        total += n;
      }
    }
    assertThat(total).isEqualTo(SIZE);
    assertThat(received.getValue()).isEqualTo(sent.getValue());
    assertThat(GCS.server().isAlive()).isTrue();
  }

  private static String crc32cBase64(CRC32C crc) {
    return Base64.getEncoder().encodeToString(
        ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
