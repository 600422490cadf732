package io.skyplane.testing.servers;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobContainerItem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Empties a running server through its own wire protocol, so that a server shared between test
 * classes starts each class as a fresh one would: no bucket or container, no object, no open
 * multipart upload, no uncommitted block. Fails (with the store's error) when something cannot be
 * removed: a class must not start on a server that still holds another class's data.
 */
final class ServerContents {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private ServerContents() {}

  static void empty(RunningServer<?> server) {
    ServerEndpoint endpoint = server.endpoint();
    if (endpoint instanceof S3Endpoint s3) {
      emptyS3(s3, s3ProxyBlobs(server.dataDir()));
    } else if (endpoint instanceof AzureEndpoint azure) {
      emptyAzure(azure);
    } else if (endpoint instanceof GcsEndpoint gcs) {
      emptyGcs(gcs);
    } else {
      throw new IllegalArgumentException("cannot empty a " + endpoint.getClass().getSimpleName());
    }
  }

  /** The folder of S3Proxy's filesystem backend (LocalServers.s3: DATA/blobs), or null. */
  private static Path s3ProxyBlobs(Path root) {
    if (root == null) {
      return null;
    }
    for (Path candidate : List.of(root.resolve("data").resolve("blobs"), root.resolve("blobs"))) {
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Aborts every multipart upload, deletes every object, then every bucket. S3Proxy's filesystem
   * backend can keep files that no listing shows (e.g. what a killed upload left, or an emptied
   * directory); when a bucket is still "not empty" those are removed from {@code blobs} (its data
   * folder), if known, and the bucket deleted again.
   */
  static void emptyS3(S3Endpoint e, Path blobs) {
    try (S3Client s3 = S3Client.builder()
        .endpointOverride(e.endpoint())
        .region(Region.of(e.region()))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(e.accessKey(), e.secretKey())))
        .httpClient(UrlConnectionHttpClient.create())
        .build()) {
      for (Bucket bucket : s3.listBuckets().buckets()) {
        String name = bucket.name();
        for (MultipartUpload upload :
            s3.listMultipartUploadsPaginator(r -> r.bucket(name)).uploads()) {
          s3.abortMultipartUpload(r -> r.bucket(name).key(upload.key()).uploadId(upload.uploadId()));
        }
        List<ObjectIdentifier> batch = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(name)).contents()) {
          batch.add(ObjectIdentifier.builder().key(object.key()).build());
          if (batch.size() == 1000) {
            deleteS3(s3, name, batch);
          }
        }
        deleteS3(s3, name, batch);
        try {
          s3.deleteBucket(r -> r.bucket(name));
        } catch (S3Exception ex) {
          if (ex.statusCode() != 409 || blobs == null || !Files.isDirectory(blobs.resolve(name))) {
            throw ex;
          }
          deleteContents(blobs.resolve(name));
          s3.deleteBucket(r -> r.bucket(name));
        }
      }
    }
  }

  private static void deleteContents(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> left = files.sorted(Comparator.reverseOrder()).toList();
      System.err.println("ServerContents: S3 bucket " + dir.getFileName() + " not empty after deleting "
          + "every listed object; removing from its folder: "
          + left.stream().filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).limit(20).toList());
      for (Path p : left) {
        if (!p.equals(dir)) {
          Files.delete(p);
        }
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot empty " + dir, ex);
    }
  }

  private static void deleteS3(S3Client s3, String bucket, List<ObjectIdentifier> keys) {
    if (keys.isEmpty()) {
      return;
    }
    var response = s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
    if (response.hasErrors() && !response.errors().isEmpty()) {
      throw new IllegalStateException("S3 server: cannot delete " + response.errors().size()
          + " objects of bucket " + bucket + ", e.g. " + response.errors().get(0));
    }
    keys.clear();
  }

  /** Deletes every container, with its blobs and uncommitted blocks. */
  static void emptyAzure(AzureEndpoint e) {
    BlobServiceClient service = new BlobServiceClientBuilder()
        .connectionString(e.connectionString())
        .buildClient();
    for (BlobContainerItem container : service.listBlobContainers()) {
      service.deleteBlobContainer(container.getName());
    }
  }

  /** Deletes every object of every bucket (the server keeps no old generations), then the bucket. */
  static void emptyGcs(GcsEndpoint e) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    String base = e.endpoint().toString().replaceAll("/+$", "") + "/storage/v1/b";
    for (String bucket : names(http, base + "?project=" + encode(e.projectId()), "name")) {
      String objects = base + "/" + encode(bucket) + "/o";
      for (String object : names(http, objects, "name")) {
        send(http, HttpRequest.newBuilder(URI.create(objects + "/" + encode(object))).DELETE(), 404);
      }
      send(http, HttpRequest.newBuilder(URI.create(base + "/" + encode(bucket))).DELETE(), 404);
    }
  }

  /** The {@code field} of every item of a paged JSON listing. */
  private static List<String> names(HttpClient http, String url, String field) {
    List<String> names = new ArrayList<>();
    String token = null;
    do {
      String page = token == null ? url : url + (url.contains("?") ? "&" : "?") + "pageToken=" + encode(token);
      JsonNode json = read(send(http, HttpRequest.newBuilder(URI.create(page)).GET(), -1));
      for (JsonNode item : json.path("items")) {
        names.add(item.path(field).asText());
      }
      token = json.hasNonNull("nextPageToken") ? json.get("nextPageToken").asText() : null;
    } while (token != null);
    return names;
  }

  private static String send(HttpClient http, HttpRequest.Builder request, int tolerated) {
    try {
      HttpResponse<String> response = http.send(request.timeout(TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status / 100 != 2 && status != tolerated) {
        throw new IllegalStateException("GCS server: " + request.build().method() + " "
            + request.build().uri() + " answered " + status + ": " + response.body());
      }
      return response.body();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while emptying the GCS server", ex);
    }
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
