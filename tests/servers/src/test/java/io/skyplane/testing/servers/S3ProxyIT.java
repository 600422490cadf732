package io.skyplane.testing.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Smoke test of S3Proxy with the AWS SDK v2: multipart upload, ranged GET, >1000-key listing. */
class S3ProxyIT {
  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  private static S3Client s3;

  @BeforeAll
  static void client() {
    S3Endpoint e = S3.endpoint();
    s3 = S3Client.builder()
        .endpointOverride(e.endpoint())
        .region(Region.of(e.region()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(e.accessKey(), e.secretKey())))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
    s3.createBucket(b -> b.bucket("smoke"));
  }

  @AfterAll
  static void closeClient() {
    s3.close();
  }

  @Test
  void multipartUploadThenRangedGet() {
    byte[] data = GcsJavaClientIT.random((11 << 20) + 7, 3);
    String id = s3.createMultipartUpload(b -> b.bucket("smoke").key("big")).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    int partSize = 5 << 20;
    for (int n = 1, off = 0; off < data.length; n++, off += partSize) {
      int len = Math.min(partSize, data.length - off);
      int partNumber = n;
      String etag = s3.uploadPart(b -> b.bucket("smoke").key("big").uploadId(id)
              .partNumber(partNumber),
          RequestBody.fromBytes(Arrays.copyOfRange(data, off, off + len))).eTag();
      parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
    }
    s3.completeMultipartUpload(b -> b.bucket("smoke").key("big").uploadId(id)
        .multipartUpload(m -> m.parts(parts)));

    assertThat(s3.headObject(b -> b.bucket("smoke").key("big")).contentLength())
        .isEqualTo(data.length);
    byte[] range = s3.getObjectAsBytes(b -> b.bucket("smoke").key("big")
        .range("bytes=6000000-6999999")).asByteArray();
    assertThat(range).isEqualTo(Arrays.copyOfRange(data, 6_000_000, 7_000_000));
  }

  @Test
  void listsMoreThanAThousandKeys() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < 1100; i++) {
        String key = String.format("many/k%05d", i);
        puts.add(pool.submit(() -> s3.putObject(b -> b.bucket("smoke").key(key),
            RequestBody.fromString("x"))));
      }
      for (Future<?> f : puts) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> keys = new ArrayList<>();
    int pages = 0;
    for (ListObjectsV2Response page : s3.listObjectsV2Paginator(
        b -> b.bucket("smoke").prefix("many/"))) {
      pages++;
      page.contents().stream().map(S3Object::key).forEach(keys::add);
    }
    assertThat(pages).isGreaterThanOrEqualTo(2);
    assertThat(keys).hasSize(1100).isSorted().doesNotHaveDuplicates();
  }
}
