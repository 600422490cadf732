package io.skyplane.testing.servers;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Servers shared between test classes: extensions asking for the same kind and options get one
 * process, a different option gets its own, and a shared server is emptied through its own
 * protocol (buckets, objects, open multipart uploads, uncommitted blocks) so that the next class
 * can create the same names again.
 */
class SharedServersIT {
  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();
  @RegisterExtension static final S3ServerExtension S3_AGAIN = S3ServerExtension.shared();
  @RegisterExtension
  static final S3ServerExtension S3_OTHER_HEAP = S3ServerExtension.shared(ServerOptions.loopback().withHeap("256m"));
  @RegisterExtension static final AzuriteExtension AZURE = AzuriteExtension.shared();
  @RegisterExtension static final GcsServerExtension GCS = GcsServerExtension.shared();
  @RegisterExtension static final FaultProxyExtension<S3Endpoint> PROXY = new FaultProxyExtension<>(S3);
  @RegisterExtension static final FaultProxyExtension<S3Endpoint> PROXY_AGAIN = new FaultProxyExtension<>(S3_AGAIN);

  @Test
  void sameKindAndOptionsShareOneProcessAndOneProxy() {
    assertThat(S3.isShared()).isTrue();
    assertThat(S3_AGAIN.server().pid()).isEqualTo(S3.server().pid());
    assertThat(S3_AGAIN.endpoint()).isEqualTo(S3.endpoint());
    assertThat(S3_OTHER_HEAP.server().pid()).isNotEqualTo(S3.server().pid());
    assertThat(PROXY_AGAIN.proxy().process().pid()).isEqualTo(PROXY.proxy().process().pid());
    assertThat(PROXY.upstream()).isEqualTo(S3.endpoint());
  }

  @Test
  void emptiesS3ObjectsUploadsAndBuckets() {
    S3Endpoint e = S3.endpoint();
    try (S3Client s3 = S3Client.builder().endpointOverride(e.endpoint()).region(Region.of(e.region()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(e.accessKey(), e.secretKey())))
        .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build()) {
      for (String bucket : List.of("shared-a", "shared-b")) {
        s3.createBucket(r -> r.bucket(bucket));
        for (int i = 0; i < 13; i++) {
          String key = "dir/object-" + i;
          s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(key));
        }
        s3.createMultipartUpload(r -> r.bucket(bucket).key("open-upload"));
      }

      ServerContents.empty(S3.server());

      assertThat(s3.listBuckets().buckets()).isEmpty();
      s3.createBucket(r -> r.bucket("shared-a")); // the name is free again
      assertThat(s3.listObjectsV2(r -> r.bucket("shared-a")).contents()).isEmpty();
      assertThat(s3.listMultipartUploads(r -> r.bucket("shared-a")).uploads()).isEmpty();
      ServerContents.empty(S3.server());
      assertThat(s3.listBuckets().buckets()).isEmpty();
    }
  }

  @Test
  void emptiesAzureContainersWithTheirUncommittedBlocks() {
    BlobServiceClient service = new BlobServiceClientBuilder()
        .connectionString(AZURE.endpoint().connectionString()).buildClient();
    BlobContainerClient container = service.createBlobContainer("shared");
    container.getBlobClient("committed").upload(BinaryData.fromString("data"));
    String blockId = Base64.getEncoder().encodeToString("block-0".getBytes(StandardCharsets.UTF_8));
    container.getBlobClient("pending").getBlockBlobClient().stageBlock(blockId, BinaryData.fromString("part"));

    ServerContents.empty(AZURE.server());

    assertThat(service.listBlobContainers()).isEmpty();
    BlobContainerClient again = service.createBlobContainer("shared");
    assertThat(again.listBlobs()).isEmpty();
    assertThat(again.getBlobClient("pending").getBlockBlobClient().exists()).isFalse();
    service.deleteBlobContainer("shared");
  }

  @Test
  void emptiesGcsBuckets() throws Exception {
    try (Storage storage = StorageOptions.http().setHost(GCS.endpoint().endpoint().toString())
        .setProjectId(GCS.endpoint().projectId()).setCredentials(NoCredentials.getInstance())
        .build().getService()) {
      storage.create(BucketInfo.of("shared-gcs"));
      for (int i = 0; i < 5; i++) {
        storage.create(BlobInfo.newBuilder("shared-gcs", "dir/name with space " + i).build(),
            ("x" + i).getBytes(StandardCharsets.UTF_8));
      }

      ServerContents.empty(GCS.server());

      assertThat(StreamSupport.stream(storage.list().iterateAll().spliterator(), false)).isEmpty();
      storage.create(BucketInfo.of("shared-gcs"));
      assertThat(StreamSupport.stream(storage.list("shared-gcs").iterateAll().spliterator(), false)).isEmpty();
    }
  }
}
