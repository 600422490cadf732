package io.skyplane.testing.servers;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.core.util.BinaryData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Smoke test of Azurite with the Azure SDK: block commit, ranged read, >1000-blob listing. */
class AzuriteIT {
  @RegisterExtension static final AzuriteExtension AZURE = new AzuriteExtension();

  private static BlobContainerClient container;

  @BeforeAll
  static void client() {
    BlobServiceClient service = new BlobServiceClientBuilder()
        .connectionString(AZURE.endpoint().connectionString()).buildClient();
    container = service.createBlobContainer("smoke");
  }

  @Test
  void commitsBlocksThenReadsARange() {
    byte[] data = GcsJavaClientIT.random((6 << 20) + 3, 4);
    BlockBlobClient blob = container.getBlobClient("big").getBlockBlobClient();
    List<String> ids = new ArrayList<>();
    int block = 2 << 20;
    for (int off = 0, n = 0; off < data.length; off += block, n++) {
      String id = Base64.getEncoder().encodeToString(
          String.format("block-%06d", n).getBytes(StandardCharsets.UTF_8));
      int len = Math.min(block, data.length - off);
      blob.stageBlock(id, new ByteArrayInputStream(data, off, len), len);
      ids.add(id);
    }
    blob.commitBlockList(ids);

    assertThat(blob.getProperties().getBlobSize()).isEqualTo(data.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    blob.downloadStreamWithResponse(out, new BlobRange(3_000_000, 1_000_000L), null, null, false,
        null, null);
    assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(data, 3_000_000, 4_000_000));
  }

  @Test
  void listsMoreThanAThousandBlobs() {
    IntStream.range(0, 1100).parallel().forEach(i -> container
        .getBlobClient(String.format("many/b%05d", i)).upload(BinaryData.fromString("x")));
    List<String> names = new ArrayList<>();
    int[] pages = {0};
    container.listBlobs(new ListBlobsOptions().setPrefix("many/").setMaxResultsPerPage(500), null)
        .iterableByPage().forEach(page -> {
          pages[0]++;
          page.getValue().stream().map(BlobItem::getName).forEach(names::add);
        });
    assertThat(pages[0]).isEqualTo(3);
    assertThat(names).hasSize(1100).isSorted().doesNotHaveDuplicates();
  }
}
