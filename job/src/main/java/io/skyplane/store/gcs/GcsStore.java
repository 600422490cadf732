package io.skyplane.store.gcs;

import io.skyplane.store.DelimitedListing;
import io.skyplane.store.VersionedRead;
import static java.util.Objects.requireNonNull;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import io.skyplane.store.Crc32c;
import io.skyplane.store.MultipartWriter;
import io.skyplane.store.LookaheadListing;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ExactLengthInputStream;
import io.skyplane.store.Keys;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.RequestSettings;
import io.skyplane.store.RetryCounter;
import io.skyplane.store.RetryCounts;
import io.skyplane.store.RetryStats;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreException.Kind;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.Iterator;
import java.util.Optional;

/**
 * A GCS bucket through the JSON API. Listings show every object: temporary part objects of
 * multipart uploads (under {@link GcsMultipartWriter#TMP_PREFIX}), a user's own objects there, and
 * directory markers ({@code dir/}, 0 bytes).
 *
 * <p>Reads: the client's read channel, pinned to the generation first seen, resumes a broken
 * download by itself at the byte reached; {@link GcsRetries} bounds and counts those resumes.
 */
final class GcsStore implements ObjectStore, VersionedRead, DelimitedListing, RetryStats {
  private static final int PAGE_SIZE = 1000;

  private final Storage storage;
  private final String bucket;
  private final GcsMultipartWriter multipart;
  private final RequestSettings requests;
  private final GcsRetries retries;
  private final RetryCounter counter;
  private final GcsPartUpload parts;

  GcsStore(Storage storage, String bucket, RequestSettings requests, GcsRetries retries,
      RetryCounter counter) {
    this.storage = requireNonNull(storage, "storage is null");
    this.bucket = requireNonNull(bucket, "bucket is null");
    this.requests = requireNonNull(requests, "requests is null");
    this.retries = requireNonNull(retries, "retries is null");
    this.counter = requireNonNull(counter, "counter is null");
    this.multipart = new GcsMultipartWriter(this);
    this.parts = new GcsPartUpload(this, retries);
  }

  GcsPartUpload parts() {
    return parts;
  }

  @Override
  public RetryCounts retryCounts() {
    return counter.retryCounts();
  }

  Storage storage() {
    return storage;
  }

  String bucket() {
    return bucket;
  }

  @Override
  public String uri(String key) {
    return "gs://" + bucket + "/" + key;
  }

  @Override
  public ObjectListing list(String prefix) throws IOException {
    requireNonNull(prefix, "prefix is null");
    Page<Blob> first;
    try {
      first = storage.list(bucket, BlobListOption.prefix(prefix), BlobListOption.pageSize(PAGE_SIZE));
    } catch (RuntimeException e) {
      throw GcsErrors.translate("list", uri(prefix), e);
    }
    return new Listing(first, prefix);
  }

  @Override
  public Level listLevel(String prefix) throws IOException {
    requireNonNull(prefix, "prefix is null");
    Page<Blob> first;
    try {
      first = storage.list(bucket, BlobListOption.prefix(prefix), BlobListOption.currentDirectory(),
          BlobListOption.pageSize(PAGE_SIZE));
    } catch (RuntimeException e) {
      throw GcsErrors.translate("list", uri(prefix), e);
    }
    return new GcsLevel(this, first, prefix).start();
  }

  @Override
  public Optional<ObjectInfo> stat(String key) throws IOException {
    Keys.check("stat", key, uri(key));
    try {
      return Optional.ofNullable(storage.get(BlobId.of(bucket, key))).map(GcsStore::info);
    } catch (RuntimeException e) {
      throw GcsErrors.translate("stat", uri(key), e);
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
    Blob blob;
    try {
      blob = storage.get(BlobId.of(bucket, key));
    } catch (RuntimeException e) {
      throw GcsErrors.translate("read", uri(key), e);
    }
    if (blob == null) {
      throw new StoreException(Kind.NOT_FOUND, GcsErrors.message("read", uri(key), "not found"));
    }
    if (!version.isEmpty() && !version.equals(String.valueOf(blob.getGeneration()))) {
      throw VersionedRead.changed(uri(key), version, String.valueOf(blob.getGeneration()));
    }
    if (offset + length > blob.getSize()) {
      throw new StoreException(Kind.FATAL, GcsErrors.message("read", uri(key),
          "range " + offset + "+" + length + " is past the end (" + blob.getSize() + " bytes)"));
    }
    if (length == 0) {
      return InputStream.nullInputStream();
    }
    // Pinned to the generation we saw: a concurrent replace fails the read instead of mixing bytes.
    ReadChannel channel = storage.reader(BlobId.of(bucket, key, blob.getGeneration()));
    try {
      channel.seek(offset);
      channel = channel.limit(offset + length);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw GcsErrors.translate("read", uri(key), e);
    }
    return new ExactLengthInputStream(new Budgeted(Channels.newInputStream(channel)), length, uri(key),
        GcsErrors::translate);
  }

  /**
   * Each read runs with the stream's {@link GcsRetries.ReadBudget} active, so that the channel's own
   * resumes are bounded and counted.
   */
  private final class Budgeted extends FilterInputStream {
    private final GcsRetries.ReadBudget budget = new GcsRetries.ReadBudget(requests.attempts() - 1);

    Budgeted(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      retries.beginRead(budget);
      try {
        int n = super.read(b, off, len);
        if (n > 0) {
          budget.progress();
        }
        return n;
      } finally {
        retries.endRead();
      }
    }
  }

  @Override
  public ObjectInfo put(String key, byte[] data, int offset, int length, int crc32c) throws IOException {
    Keys.check("write", key, uri(key));
    return info(write(key, data, offset, length, crc32c, null, "put"));
  }

  /**
   * Uploads one object in one request. The bytes are checked against {@code crc32c} here, then by
   * the server (the client sends their CRC32C), then the stored object's CRC32C is compared.
   */
  Blob write(String name, byte[] data, int offset, int length, int crc32c,
      java.util.Map<String, String> metadata, String action) throws IOException {
    if (Crc32c.of(data, offset, length) != crc32c) {
      throw new StoreException(Kind.FATAL, GcsErrors.message(action, uri(name),
          "the data does not match its CRC32C (corrupted before upload)"));
    }
    BlobInfo info = BlobInfo.newBuilder(bucket, name)
        .setCrc32c(Crc32c.toBase64(crc32c))
        .setMetadata(metadata)
        .build();
    Blob blob;
    try {
      // The client sends the CRC32C of these bytes (checked equal to ours above) with the upload,
      // and the server rejects the upload when what it received differs.
      blob = storage.create(info, data, offset, length, BlobTargetOption.disableGzipContent());
    } catch (RuntimeException e) {
      throw GcsErrors.translate(action, uri(name), e);
    }
    if (blob.getCrc32c() != null && Crc32c.fromBase64(blob.getCrc32c()) != crc32c) {
      throw new StoreException(Kind.FATAL, GcsErrors.message(action, uri(name),
          "the stored object's CRC32C differs from the data's"));
    }
    return blob;
  }

  @Override
  public void delete(String key) throws IOException {
    Keys.check("delete", key, uri(key));
    try {
      storage.delete(BlobId.of(bucket, key)); // false when missing: fine
    } catch (RuntimeException e) {
      throw GcsErrors.translate("delete", uri(key), e);
    }
  }

  @Override
  public MultipartWriter multipart() {
    return multipart;
  }

  @Override
  public void close() throws IOException {
    try {
      storage.close();
    } catch (Exception e) {
      throw GcsErrors.translate("close client of", uri(""), e);
    }
  }

  static ObjectInfo info(Blob blob) {
    Long updated = blob.getUpdateTime();
    return new ObjectInfo(blob.getName(), blob.getSize() == null ? 0 : blob.getSize(),
        updated == null ? 0 : updated, blob.getEtag() == null ? "" : blob.getEtag(),
        String.valueOf(blob.getGeneration()), blob.getCrc32c() == null ? "" : blob.getCrc32c());
  }

  /** Walks the pages one at a time. */
  private final class Listing extends LookaheadListing {
    private Page<Blob> page;
    private Iterator<Blob> items;
    private final String prefix;

    Listing(Page<Blob> first, String prefix) {
      this.page = first;
      this.items = first.getValues().iterator();
      this.prefix = prefix;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (items.hasNext()) {
          Blob blob = items.next();
          next = info(blob);
        } else if (page != null && page.hasNextPage()) {
          try {
            page = page.getNextPage();
          } catch (RuntimeException e) {
            throw new UncheckedIOException(GcsErrors.translate("list", uri(prefix), e));
          }
          items = page.getValues().iterator();
        } else {
          page = null;
          return false;
        }
      }
      return true;
    }


    @Override
    public void close() {
      page = null;
      items = java.util.Collections.emptyIterator();
    }
  }

}
