package io.skyplane.job.testing;

import static java.util.Objects.requireNonNull;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import com.azure.storage.common.sas.SasProtocol;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.skyplane.testing.servers.AzureEndpoint;
import io.skyplane.testing.servers.GcsEndpoint;
import io.skyplane.testing.servers.S3Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.annotation.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The test's own view of the local object-store servers, through the providers' SDKs only (never
 * through skyplane's store code): creates buckets, uploads source trees, lists and hashes what a
 * transfer wrote, finds leftovers of multipart uploads, and writes the store config file that
 * points skyplane at the servers. {@link StoreKind#LOCAL} "buckets" are directories under a root.
 */
public final class StoreAdmin implements AutoCloseable {
  /** The system property (and environment variable) the Azure store reads the connection from. */
  public static final String AZURE_CONNECTION_VARIABLE = "AZURE_STORAGE_CONNECTION_STRING";

  private final Path localRoot;
  @Nullable private final S3Endpoint s3Endpoint;
  @Nullable private final GcsEndpoint gcsEndpoint;
  @Nullable private final AzureEndpoint azureEndpoint;
  @Nullable private final S3Client s3;
  @Nullable private final Storage gcs;
  @Nullable private final BlobServiceClient azure;

  /** Any server may be null when a test does not use it. */
  public StoreAdmin(Path localRoot, @Nullable S3Endpoint s3, @Nullable GcsEndpoint gcs,
      @Nullable AzureEndpoint azure) {
    this.localRoot = requireNonNull(localRoot, "localRoot is null");
    this.s3Endpoint = s3;
    this.gcsEndpoint = gcs;
    this.azureEndpoint = azure;
    this.s3 = s3 == null ? null : S3Client.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.of(s3.region()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
    this.gcs = gcs == null ? null : StorageOptions.http()
        .setHost(gcs.endpoint().toString())
        .setProjectId(gcs.projectId())
        .setCredentials(NoCredentials.getInstance())
        .build().getService();
    this.azure = azure == null ? null
        : new BlobServiceClientBuilder().connectionString(azure.connectionString()).buildClient();
  }

  public S3Client s3() {
    return requireNonNull(s3, "no S3 server");
  }

  /**
   * Credentials for skyplane's stores in this JVM (the MiniCluster's tasks run here): the AWS SDK's
   * system properties and the Azure connection string as a system property.
   */
  public void useCredentialsInThisJvm() {
    if (s3Endpoint != null) {
      System.setProperty("aws.accessKeyId", s3Endpoint.accessKey());
      System.setProperty("aws.secretAccessKey", s3Endpoint.secretKey());
    }
    if (azureEndpoint != null) {
      System.setProperty(AZURE_CONNECTION_VARIABLE, azureEndpoint.connectionString());
    }
  }

  /**
   * Writes skyplane's store config (Java properties) for the servers: endpoints and options, no
   * secrets; {@code extra} entries are added as given.
   */
  public Path writeStoreConfig(Path file, Map<String, String> extra) throws IOException {
    Properties properties = new Properties();
    if (s3Endpoint != null) {
      properties.setProperty("s3.endpoint", s3Endpoint.endpoint().toString());
      properties.setProperty("s3.path-style", "true");
      properties.setProperty("s3.region", s3Endpoint.region());
    }
    if (gcsEndpoint != null) {
      properties.setProperty("gs.endpoint", gcsEndpoint.endpoint().toString());
      properties.setProperty("gs.project", gcsEndpoint.projectId());
      properties.setProperty("gs.anonymous", "true");
    }
    if (azureEndpoint != null) {
      properties.setProperty("azure.endpoint", azureEndpoint.endpoint().toString());
    }
    extra.forEach(properties::setProperty);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      properties.store(out, "skyplane stores of a test");
    }
    return file;
  }

  /** An account SAS URL for Azurite (rclone 1.60 reaches Azurite only through one), valid a day. */
  public String azureAccountSasUrl() {
    AzureEndpoint e = requireNonNull(azureEndpoint, "no Azure server");
    BlobServiceClient signer = new BlobServiceClientBuilder().endpoint(e.endpoint().toString())
        .credential(new StorageSharedKeyCredential(e.accountName(), e.accountKey())).buildClient();
    String sas = signer.generateAccountSas(new AccountSasSignatureValues(
        OffsetDateTime.now().plusDays(1), AccountSasPermission.parse("rwdlacup"),
        AccountSasService.parse("b"), AccountSasResourceType.parse("sco"))
        .setProtocol(SasProtocol.HTTPS_HTTP));
    return e.endpoint() + "?" + sas;
  }

  @Nullable S3Endpoint s3Endpoint() {
    return s3Endpoint;
  }

  @Nullable GcsEndpoint gcsEndpoint() {
    return gcsEndpoint;
  }

  @Nullable AzureEndpoint azureEndpoint() {
    return azureEndpoint;
  }

  /** The location skyplane is given: a path, s3://, gs:// or azure://ACCOUNT/CONTAINER/... */
  public String uri(StoreKind kind, String bucket, String prefix) {
    return switch (kind) {
      case LOCAL -> prefix.isEmpty() ? local(bucket).toString() : local(bucket) + "/" + prefix;
      case S3 -> "s3://" + bucket + "/" + prefix;
      case GS -> "gs://" + bucket + "/" + prefix;
      case AZURE -> "azure://" + requireNonNull(azureEndpoint, "no Azure server").accountName() + "/"
          + bucket + "/" + prefix;
    };
  }

  /** The local directory of a LOCAL "bucket". */
  public Path local(String bucket) {
    return localRoot.resolve(bucket);
  }

  public void createBucket(StoreKind kind, String bucket) throws IOException {
    switch (kind) {
      case LOCAL -> Files.createDirectories(local(bucket));
      case S3 -> s3().createBucket(b -> b.bucket(bucket));
      case GS -> gcs().create(BucketInfo.of(bucket));
      case AZURE -> azure().createBlobContainer(bucket);
    }
  }

  /** Uploads every file under {@code dir}, keyed by its path relative to {@code dir}. */
  public void uploadTree(StoreKind kind, String bucket, Path dir) throws IOException {
    for (String key : files(dir)) {
      Path file = dir.resolve(key);
      switch (kind) {
        case LOCAL -> {
          Path target = local(bucket).resolve(key);
          Files.createDirectories(target.getParent());
          Files.copy(file, target);
        }
        case S3 -> s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        case GS -> gcs().createFrom(BlobInfo.newBuilder(bucket, key).build(), file);
        case AZURE -> azure().getBlobContainerClient(bucket).getBlobClient(key)
            .uploadFromFile(file.toString(), true);
      }
    }
  }

  /** Writes one object with exactly this key (GCS and S3 only: keys a file tree cannot hold). */
  public void putBytes(StoreKind kind, String bucket, String key, byte[] data) {
    switch (kind) {
      case S3 -> s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
      case GS -> gcs().create(BlobInfo.newBuilder(bucket, key).build(), data);
      default -> throw new IllegalArgumentException("putBytes is for S3 and GCS, not " + kind);
    }
  }

  /**
   * Every object under {@code prefix} (full keys, with sizes), as the provider lists them: GCS
   * includes skyplane's temporary part objects, Azure includes blobs that have only uncommitted
   * blocks, local includes temporary files.
   */
  public Map<String, Long> list(StoreKind kind, String bucket, String prefix) throws IOException {
    Map<String, Long> objects = new TreeMap<>();
    switch (kind) {
      case LOCAL -> {
        Path root = local(bucket);
        for (String key : files(root)) {
          if (key.startsWith(prefix)) {
            try {
              objects.put(key, Files.size(root.resolve(key)));
            } catch (java.nio.file.NoSuchFileException e) {
              // a temporary file of a running copy, gone since the walk saw it
            }
          }
        }
      }
      case S3 -> {
        for (S3Object o : s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
          objects.put(o.key(), o.size());
        }
      }
      case GS -> {
        for (Blob blob : gcs().list(bucket, Storage.BlobListOption.prefix(prefix)).iterateAll()) {
          objects.put(blob.getName(), blob.getSize());
        }
      }
      case AZURE -> {
        for (BlobItem item : azure().getBlobContainerClient(bucket).listBlobs(new ListBlobsOptions()
            .setPrefix(prefix.isEmpty() ? null : prefix)
            .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true)), null)) {
          Long size = item.getProperties() == null ? null : item.getProperties().getContentLength();
          objects.put(item.getName(), size == null ? -1 : size);
        }
      }
    }
    return objects;
  }

  /** Key relative to {@code prefix} -> SHA-256 (hex) of every object under it, read back whole. */
  public Map<String, String> digests(StoreKind kind, String bucket, String prefix) throws IOException {
    Map<String, String> digests = new TreeMap<>();
    for (String key : list(kind, bucket, prefix).keySet()) {
      try (InputStream in = open(kind, bucket, key)) {
        digests.put(key.substring(prefix.length()), sha256(in));
      } catch (com.azure.storage.blob.models.BlobStorageException e) {
        // Listed with its uncommitted blocks but nothing committed (or gone since the listing):
        // no object to read. list() and uncommittedAzureBlocks() still see what is left over.
        if (e.getStatusCode() != 404) {
          throw e;
        }
      }
    }
    return digests;
  }

  private InputStream open(StoreKind kind, String bucket, String key) throws IOException {
    return switch (kind) {
      case LOCAL -> Files.newInputStream(local(bucket).resolve(key));
      case S3 -> s3().getObject(b -> b.bucket(bucket).key(key));
      case GS -> Channels.newInputStream(gcs().reader(BlobId.of(bucket, key)));
      case AZURE -> azure().getBlobContainerClient(bucket).getBlobClient(key).openInputStream();
    };
  }

  /** "key (upload id)" of every S3 multipart upload still open in the bucket. */
  public List<String> pendingS3Uploads(String bucket) {
    List<String> pending = new ArrayList<>();
    for (MultipartUpload u : s3().listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads()) {
      pending.add(u.key() + " (" + u.uploadId() + ")");
    }
    return pending;
  }

  /** "blob: block" of every uncommitted block of every blob (committed or not) in the container. */
  public List<String> uncommittedAzureBlocks(String container) {
    BlobContainerClient client = azure().getBlobContainerClient(container);
    List<String> blocks = new ArrayList<>();
    for (BlobItem item : client.listBlobs(new ListBlobsOptions()
        .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true)), null)) {
      for (Block block : client.getBlobClient(item.getName()).getBlockBlobClient()
          .listBlocks(BlockListType.UNCOMMITTED).getUncommittedBlocks()) {
        blocks.add(item.getName() + ": " + block.getName());
      }
    }
    return blocks;
  }

  private Storage gcs() {
    return requireNonNull(gcs, "no GCS server");
  }

  private BlobServiceClient azure() {
    return requireNonNull(azure, "no Azure server");
  }

  /**
   * Relative paths ('/'-separated) of the regular files under dir, sorted; empty if dir is missing.
   * Files and directories that vanish during the walk (a running copy's temporaries) are skipped.
   */
  static List<String> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> files = new java.util.ArrayList<>();
    Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          files.add(dir.relativize(file).toString().replace(dir.getFileSystem().getSeparator(), "/"));
        }
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof java.nio.file.NoSuchFileException) {
          return java.nio.file.FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
    files.sort(null);
    return files;
  }

  static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
        digesting.transferTo(OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    if (gcs != null) {
      gcs.close();
    }
  }
}
