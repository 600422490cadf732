package io.skyplane.store.azure;

import io.skyplane.store.DelimitedListing;
import io.skyplane.store.VersionedRead;
import static java.util.Objects.requireNonNull;

import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.skyplane.store.Crc32c;
import io.skyplane.store.MultipartWriter;
import io.skyplane.store.LookaheadListing;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.Keys;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.RequestSettings;
import io.skyplane.store.ResumingInputStream;
import io.skyplane.store.RetryCounter;
import io.skyplane.store.RetryCounts;
import io.skyplane.store.RetryStats;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * One Azure Blob container. Objects are block blobs; {@link #put} is one Put Blob with a
 * transactional Content-MD5 the service checks, and records our CRC32C in the blob's metadata.
 * Directory markers ({@code dir/}, 0 bytes) are listed like any blob.
 *
 * <p>Every call has an overall timeout ({@link #callTimeout}): every try's own bound (the HTTP
 * client's timeouts) times the tries, plus the back-off. The SDK times synchronous calls on
 * azure-core's shared executor, which is ours and outlives azure-core's shutdown hook ({@link
 * AzureSharedExecutor}).
 *
 * <p>A ranged read is one streaming GET of the range, pinned to the ETag first seen ({@link
 * AzureRangeRead}); a body that breaks is re-opened at the byte reached ({@link
 * ResumingInputStream}, up to {@code attempts - 1} times in a row without progress).
 */
final class AzureStore implements ObjectStore, VersionedRead, DelimitedListing, RetryStats {
  static final String CRC_METADATA = "skyplanecrc32c";
  /** azure-core's context key for one request's answer and read timeouts (JDK HTTP client). */
  private static final String RESPONSE_TIMEOUT = "azure-response-timeout";
  private static final int PAGE_SIZE = 1000;

  private final BlobContainerClient container;
  private final String account;
  private final AzureMultipartWriter multipart;
  private final RequestSettings requests;
  private final RetryCounter counter;

  AzureStore(BlobContainerClient container, String account, RequestSettings requests,
      RetryCounter counter) {
    this.container = requireNonNull(container, "container is null");
    this.account = requireNonNull(account, "account is null");
    this.requests = requireNonNull(requests, "requests is null");
    this.counter = requireNonNull(counter, "counter is null");
    this.multipart = new AzureMultipartWriter(this);
  }

  @Override
  public RetryCounts retryCounts() {
    return counter.retryCounts();
  }

  /**
   * The longest a call may take whose tries are each bounded by {@code perTry} (after the
   * connection): all tries, the SDK's back-off before each retry and our jitter on top.
   */
  Duration callTimeout(Duration perTry) {
    Duration total = Duration.ZERO;
    for (int attempt = 1; attempt <= requests.attempts(); attempt++) {
      total = total.plus(requests.connectTimeout()).plus(perTry);
      if (attempt > 1) {
        long delay = Math.min(AzureStoreFactory.MAX_RETRY_DELAY_MILLIS,
            ((1L << Math.min(attempt - 1, 30)) - 1) * AzureStoreFactory.RETRY_DELAY_MILLIS);
        total = total.plusMillis(delay + delay / 2);
      }
    }
    return total.plusSeconds(5);
  }

  /** The overall timeout of a call without object data. */
  Duration callTimeout() {
    return callTimeout(requests.requestTimeout().plus(requests.idleTimeout()));
  }

  /** The overall timeout of a call that uploads {@code bytes}. */
  Duration uploadCallTimeout(long bytes) {
    return callTimeout(requests.uploadTimeout(bytes));
  }

  RequestSettings requests() {
    return requests;
  }

  /** The context of a request that uploads {@code bytes}: a longer time to its answer. */
  Context uploadContext(long bytes) {
    return new Context(RESPONSE_TIMEOUT, requests.uploadTimeout(bytes));
  }

  BlockBlobClient blob(String key) {
    return container.getBlobClient(key).getBlockBlobClient();
  }

  BlobContainerClient container() {
    return container;
  }

  @Override
  public String uri(String key) {
    return "azure://" + account + "/" + container.getBlobContainerName() + "/" + key;
  }

  @Override
  public ObjectListing list(String prefix) throws IOException {
    requireNonNull(prefix, "prefix is null");
    try {
      Iterator<PagedResponse<BlobItem>> pages = container.listBlobs(
          new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix)
              .setDetails(new BlobListDetails().setRetrieveMetadata(true))
              .setMaxResultsPerPage(PAGE_SIZE), callTimeout()).iterableByPage().iterator();
      return new Listing(pages, prefix);
    } catch (RuntimeException e) {
      throw AzureErrors.translate("list", uri(prefix), e);
    }
  }

  @Override
  public Level listLevel(String prefix) throws IOException {
    requireNonNull(prefix, "prefix is null");
    Iterator<PagedResponse<BlobItem>> pages;
    try {
      pages = container.listBlobsByHierarchy("/",
          new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix)
              .setDetails(new BlobListDetails().setRetrieveMetadata(true))
              .setMaxResultsPerPage(PAGE_SIZE), callTimeout()).iterableByPage().iterator();
    } catch (RuntimeException e) {
      throw AzureErrors.translate("list", uri(prefix), e);
    }
    return new AzureLevel(this, pages, prefix).start();
  }

  @Override
  public Optional<ObjectInfo> stat(String key) throws IOException {
    Keys.check("stat", key, uri(key));
    return properties(key, "stat").map(p -> info(key, p));
  }

  Optional<BlobProperties> properties(String key, String action) throws IOException {
    try {
      return Optional.of(blob(key).getPropertiesWithResponse(null, callTimeout(), Context.NONE).getValue());
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw AzureErrors.translate(action, uri(key), e);
    } catch (RuntimeException e) {
      throw AzureErrors.translate(action, uri(key), e);
    }
  }

  @Override
  public InputStream read(String key, long offset, long length) throws IOException {
    return read(key, offset, length, "");
  }

  @Override
  public InputStream read(String key, long offset, long length, String version) throws IOException {
    Keys.check("read", key, uri(key));
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("bad range " + offset + "+" + length + " of " + uri(key));
    }
    if (!version.isEmpty() && length > 0) {
      // One request: the ranged GET itself is pinned to the listed ETag (If-Match; 412 is "changed"),
      // answers 404 for a missing blob and 416 past the end, and its length is checked.
      return pinnedRead(key, version, offset, length);
    }
    BlobProperties properties = properties(key, "read").orElseThrow(() ->
        new StoreException(Kind.NOT_FOUND, AzureErrors.message("read", uri(key), "not found")));
    if (!version.isEmpty() && !version.equals(properties.getETag())) {
      throw VersionedRead.changed(uri(key), version, properties.getETag());
    }
    if (offset + length > properties.getBlobSize()) {
      throw new StoreException(Kind.FATAL, AzureErrors.message("read", uri(key), "range " + offset
          + "+" + length + " is past the end (" + properties.getBlobSize() + " bytes)"));
    }
    if (length == 0) {
      return InputStream.nullInputStream();
    }
    // Pinned to the ETag we saw: a concurrent replace fails the read instead of mixing bytes.
    return pinnedRead(key, properties.getETag(), offset, length);
  }

  /** A ranged read pinned to {@code etag}, resumed where its body breaks. */
  private InputStream pinnedRead(String key, String etag, long offset, long length) throws IOException {
    AzureRangeRead opener = new AzureRangeRead(this, key, etag, offset + length);
    return ResumingInputStream.open(uri(key), offset, length, opener, AzureErrors::translate,
        requests.attempts() - 1, counter);
  }

  @Override
  public ObjectInfo put(String key, byte[] data, int offset, int length, int crc32c) throws IOException {
    Keys.check("write", key, uri(key));
    if (Crc32c.of(data, offset, length) != crc32c) {
      throw new StoreException(Kind.FATAL, AzureErrors.message("put", uri(key),
          "the data does not match its CRC32C (corrupted before upload)"));
    }
    BlockBlobItem item;
    try {
      BlockBlobSimpleUploadOptions options =
          new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(slice(data, offset, length)))
              .setContentMd5(md5(data, offset, length))
              .setMetadata(Map.of(CRC_METADATA, Integer.toHexString(crc32c)));
      item = blob(key).uploadWithResponse(options, uploadCallTimeout(length), uploadContext(length)).getValue();
    } catch (RuntimeException e) {
      throw AzureErrors.translate("put", uri(key), e);
    }
    String etag = item.getETag() == null ? "" : item.getETag();
    long modified = item.getLastModified() == null ? 0 : item.getLastModified().toInstant().toEpochMilli();
    return new ObjectInfo(key, length, modified, etag, etag, crc32c(Integer.toHexString(crc32c)));
  }

  @Override
  public void delete(String key) throws IOException {
    Keys.check("delete", key, uri(key));
    try {
      blob(key).deleteIfExistsWithResponse(null, null, callTimeout(), Context.NONE);
    } catch (RuntimeException e) {
      throw AzureErrors.translate("delete", uri(key), e);
    }
  }

  @Override
  public MultipartWriter multipart() {
    return multipart;
  }

  @Override
  public void close() {
    // The SDK's HTTP client has no per-store resources to release.
  }

  static ObjectInfo info(String key, BlobProperties properties) {
    String etag = properties.getETag() == null ? "" : properties.getETag();
    long modified = properties.getLastModified() == null ? 0
        : properties.getLastModified().toInstant().toEpochMilli();
    return new ObjectInfo(key, properties.getBlobSize(), modified, etag, etag,
        crc32c(properties.getMetadata() == null ? null : properties.getMetadata().get(CRC_METADATA)));
  }

  /** The listed blob (directory markers too). */
  static ObjectInfo visible(BlobItem item) {
    long size = item.getProperties().getContentLength() == null ? 0
        : item.getProperties().getContentLength();
    String etag = item.getProperties().getETag() == null ? "" : item.getProperties().getETag();
    long modified = item.getProperties().getLastModified() == null ? 0
        : item.getProperties().getLastModified().toInstant().toEpochMilli();
    return new ObjectInfo(item.getName(), size, modified, etag, etag,
        crc32c(item.getMetadata() == null ? null : item.getMetadata().get(CRC_METADATA)));
  }

  /**
   * The CRC32C recorded in a blob's metadata by our writes (hex), as {@link ObjectInfo#crc32c()}
   * wants it (base64, big-endian), or "" when the blob has none (written by another tool) or it is
   * not a hex number. It is the checksum of the bytes the writer verified and sent with a
   * transactional MD5, so a sync can compare content with it.
   */
  static String crc32c(@Nullable String hex) {
    if (hex == null || hex.isEmpty() || hex.length() > 8) {
      return "";
    }
    try {
      return Crc32c.toBase64((int) Long.parseLong(hex, 16));
    } catch (NumberFormatException e) {
      return "";
    }
  }

  static byte[] md5(byte[] data, int offset, int length) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update(data, offset, length);
      return md5.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no MD5 in this JVM", e);
    }
  }

  static byte[] slice(byte[] data, int offset, int length) {
    return offset == 0 && length == data.length ? data
        : java.util.Arrays.copyOfRange(data, offset, offset + length);
  }

  /** Walks the pages one at a time. */
  private final class Listing extends LookaheadListing {
    private final Iterator<PagedResponse<BlobItem>> pages;
    private final String prefix;
    private Iterator<BlobItem> items = Collections.emptyIterator();

    Listing(Iterator<PagedResponse<BlobItem>> pages, String prefix) {
      this.pages = pages;
      this.prefix = prefix;
    }

    @Override
    public boolean hasNext() {
      try {
        while (next == null) {
          if (items.hasNext()) {
            next = visible(items.next());
          } else if (pages.hasNext()) {
            items = pages.next().getValue().iterator();
          } else {
            return false;
          }
        }
        return true;
      } catch (RuntimeException e) {
        throw new UncheckedIOException(AzureErrors.translate("list", uri(prefix), e));
      }
    }


    @Override
    public void close() {
      items = Collections.emptyIterator();
    }
  }

}
