package io.skyplane.store.s3;

import static io.skyplane.store.TestData.bytes;
import static io.skyplane.store.TestData.crc32c;
import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.store.ArrivingPart;
import io.skyplane.store.MultipartUpload;
import io.skyplane.store.MultipartWriter;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.PartReceipt;
import io.skyplane.store.StoreSpec;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A store opened with {@code unsigned-payload=true} over plain http: S3Proxy accepts its puts,
 * byte[] parts (UNSIGNED-PAYLOAD with our CRC32C header) and streamed parts
 * (STREAMING-UNSIGNED-PAYLOAD-TRAILER), and the object reads back whole.
 */
class S3UnsignedPayloadIT {
  @RegisterExtension static final S3Buckets BUCKETS = new S3Buckets();

  @Test
  void putsAndBothKindsOfPartsAreAccepted() throws Exception {
    String bucket = BUCKETS.create();
    Map<String, String> options = new HashMap<>(BUCKETS.spec(bucket).options());
    options.put(S3Options.UNSIGNED_PAYLOAD, "true");
    try (ObjectStore store = ObjectStores.open(new StoreSpec("s3", bucket, options))) {
      byte[] small = bytes(61, 1000);
      store.put("small", small, 0, small.length, crc32c(small));
      MultipartWriter writer = store.multipart();
      int part = (int) writer.minPartSize();
      byte[] data = bytes(62, 2 * part + 17);
      MultipartUpload upload = writer.create("big");
      PartReceipt first = writer.upload(upload, 1, 0, data, 0, part, crc32c(data, 0, part));
      PartReceipt second;
      try (ArrivingPart rest = ArrivingPart.arriving(Arrays.copyOfRange(data, part, data.length), 256 << 10, 1)) {
        second = writer.upload(upload, 2, part, rest);
      }
      assertThat(writer.complete(upload, List.of(first, second)).size()).isEqualTo(data.length);
      try (InputStream in = store.read("big", 0, data.length)) {
        assertThat(in.readAllBytes()).isEqualTo(data);
      }
      try (InputStream in = store.read("small", 0, small.length)) {
        assertThat(in.readAllBytes()).isEqualTo(small);
      }
    }
  }
}
