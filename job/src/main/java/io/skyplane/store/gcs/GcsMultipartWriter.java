package io.skyplane.store.gcs;

import static java.util.Objects.requireNonNull;

import com.google.api.gax.paging.Page;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.ComposeRequest;
import io.skyplane.store.Crc32c;
import io.skyplane.store.Keys;
import io.skyplane.store.MultipartUpload;
import io.skyplane.store.MultipartWriter;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.PartData;
import io.skyplane.store.PartReceipt;
import io.skyplane.store.PartStream;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreException.Kind;
import com.google.api.services.storage.model.StorageObject;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Multipart uploads for GCS, which has no native multipart API that several machines can share.
 *
 * <p>Each part is written (by any worker) as a temporary object
 * {@code .skyplane-tmp/<uploadId>/part-<nnnnn>} carrying the final key in its metadata; an upload
 * created with a tag has the id {@code <tag>-<random>}, so its temporaries lie under
 * {@code .skyplane-tmp/<tag>-} (a transfer's area, which it removes). A prefix (rather than a suffix
 * on the key) keeps part names short for keys up to GCS's 1,024-byte limit. Listings show them like
 * any object: what a transfer copies is for it to decide.
 * {@link #complete} composes the parts, 32 at a time in a tree for more parts, into the final object,
 * conditional on the generation of the object it replaces ({@code ifGenerationMatch=0} when there is
 * none) and tagged with the upload id, so a retry after a lost answer finds its own object (another
 * writer's object that replaced it meanwhile is replaced in turn: the last complete wins); then it
 * deletes every temporary object. When {@code complete} fails, the parts stay so that it can be
 * retried; the caller then aborts, and {@link #abort} deletes every temporary object of the upload.
 * {@link #pending} lists the temporary objects.
 */
final class GcsMultipartWriter implements MultipartWriter {
  static final String TMP_PREFIX = ".skyplane-tmp/";
  static final String KEY_METADATA = "skyplane-key";
  static final String UPLOAD_METADATA = "skyplane-upload";
  private static final int MAX_COMPOSE = 32;
  /** Completes tried while other writers keep replacing the object. */
  private static final int CONCURRENT_REPLACEMENTS = 5;
  private static final int COPY_BUFFER = 64 << 10;

  private final GcsStore store;

  GcsMultipartWriter(GcsStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  @Override
  public MultipartUpload create(String key) throws StoreException {
    return create(key, "");
  }

  /** The upload id starts with {@code tag} (then '-'), and so do its temporary objects' names. */
  @Override
  public MultipartUpload create(String key, String tag) throws StoreException {
    Keys.check("start an upload for", key, store.uri(key));
    requireNonNull(key, "key is null");
    MultipartWriter.checkTag(tag);
    String random = UUID.randomUUID().toString().replace("-", "");
    return new MultipartUpload(key, tag.isEmpty() ? random : tag + "-" + random, System.currentTimeMillis());
  }

  @Override
  public PartReceipt upload(MultipartUpload upload, int partNumber, long objectOffset, byte[] data,
      int offset, int length, int crc32c) throws IOException {
    String action = "upload part " + partNumber + " of";
    String name = partName(upload, checkPart(partNumber));
    if (Crc32c.of(data, offset, length) != crc32c) {
      throw new StoreException(Kind.FATAL, GcsErrors.message(action, store.uri(name),
          "the data does not match its CRC32C (corrupted before upload)"));
    }
    // The server refuses bytes that do not match the CRC32C sent with the metadata.
    StorageObject part = store.parts().upload(name, metadata(upload, objectOffset), length, crc32c,
        () -> out -> out.write(data, offset, length), action);
    if (part.getCrc32c() != null && Crc32c.fromBase64(part.getCrc32c()) != crc32c) {
      discard(name, part, action);
      throw new StoreException(Kind.FATAL, GcsErrors.message(action, store.uri(name),
          "the stored part's CRC32C differs from the data's"));
    }
    return new PartReceipt(partNumber, length, crc32c, String.valueOf(part.getGeneration()));
  }

  /**
   * Streams the part as its bytes arrive, in one request per try (see {@link GcsPartUpload}); each
   * try re-opens the data. The part object's CRC32C, computed by the server, is compared with the
   * part's, and so is the CRC32C of the bytes the last try sent; on a mismatch the part object is
   * deleted and the upload fails with {@link Kind#FATAL}.
   */
  @Override
  public PartReceipt upload(MultipartUpload upload, int partNumber, long objectOffset, PartData data)
      throws IOException {
    String action = "upload part " + partNumber + " of";
    String name = partName(upload, checkPart(partNumber));
    AtomicReference<PartStream> lastTry = new AtomicReference<>();
    StorageObject part = store.parts().upload(name, metadata(upload, objectOffset), data.length(), null, () -> {
      PartStream stream = new PartStream(data, store.uri(name));
      lastTry.set(stream);
      return new GcsPartUpload.Body() {
        @Override
        public void writeTo(OutputStream out) throws IOException {
          byte[] buffer = new byte[COPY_BUFFER];
          for (int n; (n = stream.read(buffer, 0, buffer.length)) > 0; ) {
            out.write(buffer, 0, n);
          }
        }

        @Override
        public PartStream.SourceFailed failure() {
          return stream.failure();
        }
      };
    }, action);
    try {
      lastTry.get().verify(action, part.getCrc32c() == null ? null : Crc32c.fromBase64(part.getCrc32c()));
    } catch (StoreException e) {
      discard(name, part, action);
      throw e;
    }
    return new PartReceipt(partNumber, data.length(), data.crc32c(), String.valueOf(part.getGeneration()));
  }

  private int checkPart(int partNumber) {
    if (partNumber < 1 || partNumber > maxParts()) {
      throw new IllegalArgumentException("part number " + partNumber + " outside 1.." + maxParts());
    }
    return partNumber;
  }

  private static Map<String, String> metadata(MultipartUpload upload, long objectOffset) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(KEY_METADATA, upload.key());
    metadata.put("skyplane-offset", Long.toString(objectOffset));
    return metadata;
  }

  /** Deletes a part object that must not be completed (best effort: abort removes it anyway). */
  private void discard(String name, StorageObject part, String action) {
    try {
      store.storage().delete(BlobId.of(store.bucket(), name, part.getGeneration()));
    } catch (RuntimeException e) {
      // abort() deletes every temporary object of the upload
    }
  }

  @Override
  public ObjectInfo complete(MultipartUpload upload, List<PartReceipt> parts) throws IOException {
    List<PartReceipt> ordered = inOrder(upload, parts);
    long size = 0;
    int crc = 0;
    for (PartReceipt part : ordered) {
      crc = Crc32c.combine(crc, part.crc32c(), part.length());
      size += part.length();
    }
    String uri = store.uri(upload.key());
    Storage storage = store.storage();
    Blob existing = get(upload.key(), "complete");
    if (existing != null && upload.uploadId().equals(tag(existing))) {
      deleteTemporaries(upload); // an earlier call committed it; its answer was lost
      return verified(existing, size, crc, uri);
    }
    List<String> intermediates = new ArrayList<>();
    Blob result;
    try {
      List<Source> sources = new ArrayList<>();
      for (PartReceipt part : ordered) {
        sources.add(new Source(partName(upload, part.partNumber()), Long.parseLong(part.token())));
      }
      int level = 0;
      while (sources.size() > MAX_COMPOSE) {
        List<Source> next = new ArrayList<>();
        for (int i = 0; i < sources.size(); i += MAX_COMPOSE) {
          String name = TMP_PREFIX + upload.uploadId() + "/compose-" + level + "-" + (i / MAX_COMPOSE);
          intermediates.add(name);
          Blob composed = compose(sources.subList(i, Math.min(i + MAX_COMPOSE, sources.size())),
              BlobInfo.newBuilder(store.bucket(), name)
                  .setMetadata(Map.of(KEY_METADATA, upload.key())).build(), "complete", uri);
          next.add(new Source(name, composed.getGeneration()));
        }
        sources = next;
        level++;
      }
      BlobInfo target = BlobInfo.newBuilder(store.bucket(), upload.key())
          .setMetadata(Map.of(UPLOAD_METADATA, upload.uploadId()))
          .build();
      // Conditional on the object we saw, so that a retry after a lost answer finds its own
      // commit. Another writer that replaced the object meanwhile (a concurrent run) is simply
      // replaced in turn, as an unconditional write would: the last complete wins, whole.
      Blob seen = existing;
      result = null;
      for (int attempt = 1; result == null; attempt++) {
        BlobTargetOption precondition = seen == null
            ? BlobTargetOption.doesNotExist()
            : BlobTargetOption.generationMatch(seen.getGeneration());
        try {
          result = compose(sources, target, "complete", uri, precondition);
        } catch (StoreException e) {
          if (e.kind() != Kind.ALREADY_EXISTS) {
            throw e;
          }
          Blob now = get(upload.key(), "complete");
          if (now != null && upload.uploadId().equals(tag(now))) {
            result = now; // our own earlier attempt won
          } else if (attempt >= CONCURRENT_REPLACEMENTS) {
            throw e;
          } else {
            seen = now; // replaced meanwhile by another writer: replace it
          }
        }
      }
    } finally {
      deleteQuietly(intermediates);
    }
    ObjectInfo committed = verified(result, size, crc, uri);
    try {
      deleteTemporaries(upload);
    } catch (IOException e) {
      // The object is committed: a cleanup failure must not report it as failed. The temporaries
      // stay listed by pending() (their upload id and key are in their names and metadata), so
      // the caller's sweep, or a later abort, removes them.
    }
    return committed;
  }

  @Override
  public void abort(MultipartUpload upload) throws IOException {
    deleteTemporaries(upload);
  }

  @Override
  public List<MultipartUpload> pending(String prefix) throws IOException {
    Map<String, MultipartUpload> uploads = new LinkedHashMap<>();
    try {
      Page<Blob> page = store.storage().list(store.bucket(), BlobListOption.prefix(TMP_PREFIX),
          BlobListOption.pageSize(1000));
      for (Blob blob : page.iterateAll()) {
        String rest = blob.getName().substring(TMP_PREFIX.length());
        int slash = rest.indexOf('/');
        String key = blob.getMetadata() == null ? null : blob.getMetadata().get(KEY_METADATA);
        if (slash < 0 || key == null || !key.startsWith(prefix)) {
          continue;
        }
        String uploadId = rest.substring(0, slash);
        long created = blob.getCreateTime() == null ? 0 : blob.getCreateTime();
        uploads.merge(uploadId, new MultipartUpload(key, uploadId, created),
            (a, b) -> a.startedMillis() <= b.startedMillis() ? a : b);
      }
    } catch (RuntimeException e) {
      throw GcsErrors.translate("list pending uploads under", store.uri(TMP_PREFIX), e);
    }
    return List.copyOf(uploads.values());
  }

  @Override
  public long minPartSize() {
    return 5L << 20; // GCS has no minimum; this keeps the compose tree shallow
  }

  @Override
  public int maxParts() {
    return 10_000;
  }

  static String partName(MultipartUpload upload, int partNumber) {
    return TMP_PREFIX + upload.uploadId() + "/" + String.format("part-%05d", partNumber);
  }

  private static String tag(Blob blob) {
    return blob.getMetadata() == null ? null : blob.getMetadata().get(UPLOAD_METADATA);
  }

  private Blob get(String key, String action) throws IOException {
    try {
      return store.storage().get(BlobId.of(store.bucket(), key));
    } catch (RuntimeException e) {
      throw GcsErrors.translate(action, store.uri(key), e);
    }
  }

  private Blob compose(List<Source> sources, BlobInfo target, String action, String uri,
      BlobTargetOption... options) throws IOException {
    ComposeRequest.Builder request = ComposeRequest.newBuilder().setTarget(target)
        .setTargetOptions(options);
    for (Source source : sources) {
      request.addSource(source.name(), source.generation());
    }
    try {
      return store.storage().compose(request.build());
    } catch (RuntimeException e) {
      throw GcsErrors.translate(action, uri, e);
    }
  }

  private static ObjectInfo verified(Blob blob, long size, int crc32c, String uri)
      throws StoreException {
    if (blob.getSize() == null || blob.getSize() != size) {
      throw new StoreException(Kind.FATAL, GcsErrors.message("complete", uri,
          "composed " + blob.getSize() + " bytes, expected " + size));
    }
    if (blob.getCrc32c() != null && Crc32c.fromBase64(blob.getCrc32c()) != crc32c) {
      throw new StoreException(Kind.FATAL, GcsErrors.message("complete", uri,
          "the composed object's CRC32C differs from its parts'"));
    }
    return GcsStore.info(blob);
  }

  private List<PartReceipt> inOrder(MultipartUpload upload, List<PartReceipt> parts) {
    List<PartReceipt> ordered = new ArrayList<>(parts);
    ordered.sort(Comparator.comparingInt(PartReceipt::partNumber));
    for (int i = 0; i < ordered.size(); i++) {
      if (ordered.get(i).partNumber() != i + 1) {
        throw new IllegalArgumentException("parts of " + store.uri(upload.key())
            + " must be numbered 1.." + ordered.size() + " without gaps or repeats, got part "
            + ordered.get(i).partNumber() + " at position " + (i + 1));
      }
    }
    if (ordered.isEmpty()) {
      throw new IllegalArgumentException("no parts to complete " + store.uri(upload.key()));
    }
    return ordered;
  }

  /** Deletes every temporary object of the upload (parts and compose intermediates). */
  private void deleteTemporaries(MultipartUpload upload) throws IOException {
    String prefix = TMP_PREFIX + upload.uploadId() + "/";
    List<String> names = new ArrayList<>();
    try {
      for (Blob blob : store.storage().list(store.bucket(), BlobListOption.prefix(prefix),
          BlobListOption.pageSize(1000)).iterateAll()) {
        names.add(blob.getName());
      }
    } catch (RuntimeException e) {
      throw GcsErrors.translate("list the parts of", store.uri(prefix), e);
    }
    delete(names, store.uri(prefix));
  }

  /**
   * Deletes objects in batches of 100 (the JSON batch API's limit). The client does not retry a
   * batch, so a batch that fails transiently (throttled, 5xx) is redone as single deletes, which the
   * client retries with back-off.
   */
  private void delete(List<String> names, String uri) throws IOException {
    for (int i = 0; i < names.size(); i += 100) {
      List<BlobId> ids = names.subList(i, Math.min(i + 100, names.size())).stream()
          .map(name -> BlobId.of(store.bucket(), name)).toList();
      try {
        store.storage().delete(ids); // false for the missing ones: fine
      } catch (RuntimeException e) {
        StoreException error = GcsErrors.translate("delete the temporary parts of", uri, e);
        if (!error.isRetryable()) {
          throw error;
        }
        for (BlobId id : ids) {
          try {
            store.storage().delete(id);
          } catch (RuntimeException single) {
            StoreException failure = GcsErrors.translate("delete the temporary parts of", uri, single);
            failure.addSuppressed(error);
            throw failure;
          }
        }
      }
    }
  }

  private void deleteQuietly(List<String> names) {
    try {
      delete(names, "intermediate objects");
    } catch (IOException e) {
      // left for abort(), which deletes everything under the upload's prefix
    }
  }

  private record Source(String name, long generation) {
    Source {
      requireNonNull(name, "name is null");
    }
  }
}
