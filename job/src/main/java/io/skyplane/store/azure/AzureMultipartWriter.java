package io.skyplane.store.azure;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobListBlocksOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Multipart uploads as Azure block blobs: any worker stages block n (Put Block, with a
 * transactional Content-MD5 the service checks); {@link #complete} commits the block list in part
 * order (Put Block List), conditional on the blob it replaces ({@code If-None-Match: *} when there
 * is none, else its ETag), tagged with the upload id in the blob's metadata so a retry after a lost
 * answer finds its own commit.
 *
 * <p>A part from {@link PartData} is streamed: Put Block starts at once and sends the bytes as they
 * arrive, without a transactional MD5 (it is not known when the request starts). Its body is a
 * {@link Flux} that opens the data anew for every subscription, so each try of the SDK's retry
 * policy re-reads it from the first byte (the policy buffers only bodies that cannot be replayed by
 * re-subscribing); the blocking reads run on Reactor's bounded-elastic threads, not on the HTTP
 * client's. The CRC32C of the bytes the last try sent is compared with the part's before the
 * receipt is returned; a mismatch is {@link StoreException.Kind#FATAL}, and the block, never
 * committed, is discarded like any abandoned block (see below).
 *
 * <p>Block ids are the base64 of {@code "sp" + uploadId + partNumber(5 digits)}, all 39 bytes: Azure
 * requires every block id of a blob to have the same length. The upload id is 12 hex digits of the
 * creation time and 20 random hex digits, so {@link #pending} can tell when an upload started.
 *
 * <p>What Azure guarantees about abandoned blocks: uncommitted blocks are not visible, are discarded
 * when the blob's block list is next committed, and are garbage-collected by the service after
 * seven days. There is no call that deletes single uncommitted blocks. {@link #abort} therefore
 * discards them explicitly only when no committed blob exists at the key: it commits an empty block
 * list ({@code If-None-Match: *}) marked as an abort placeholder in its metadata, and deletes that
 * empty blob at once (a reader may see a 0-byte object for that moment). A placeholder whose
 * delete never happened (the aborting process was killed, or its thread interrupted while the
 * request was in flight) is still an unfinished upload: {@link #pending} reports it and {@link
 * #abort} deletes it, so the client's sweep after a failed run removes it. When a real committed
 * blob exists, its content is left untouched and the blocks wait for the service's collection;
 * {@link #pending} keeps reporting the upload until then.
 */
final class AzureMultipartWriter implements MultipartWriter {
  static final String UPLOAD_METADATA = "skyplaneupload";
  static final String ABORT_METADATA = "skyplaneabort";
  private static final String ID_MARK = "sp";
  private static final int ID_LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AzureStore store;

  AzureMultipartWriter(AzureStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  @Override
  public MultipartUpload create(String key) throws StoreException {
    Keys.check("start an upload for", key, store.uri(key));
    requireNonNull(key, "key is null");
    long now = System.currentTimeMillis();
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    String id = String.format("%012x", now) + HexFormat.of().formatHex(random);
    return new MultipartUpload(key, id, now);
  }

  @Override
  public PartReceipt upload(MultipartUpload upload, int partNumber, long objectOffset, byte[] data,
      int offset, int length, int crc32c) throws IOException {
    if (partNumber < 1 || partNumber > maxParts()) {
      throw new IllegalArgumentException("part number " + partNumber + " outside 1.." + maxParts());
    }
    String action = "upload part " + partNumber + " of";
    String uri = store.uri(upload.key());
    if (Crc32c.of(data, offset, length) != crc32c) {
      throw new StoreException(Kind.FATAL, AzureErrors.message(action, uri,
          "the data does not match its CRC32C (corrupted before upload)"));
    }
    String blockId = blockId(upload.uploadId(), partNumber);
    try {
      store.blob(upload.key()).stageBlockWithResponse(new BlockBlobStageBlockOptions(blockId,
          BinaryData.fromBytes(AzureStore.slice(data, offset, length)))
          .setContentMd5(AzureStore.md5(data, offset, length)),
          store.uploadCallTimeout(length), store.uploadContext(length));
    } catch (RuntimeException e) {
      throw AzureErrors.translate(action, uri, e);
    }
    return new PartReceipt(partNumber, length, crc32c, blockId);
  }

  @Override
  public PartReceipt upload(MultipartUpload upload, int partNumber, long objectOffset, PartData data)
      throws IOException {
    if (partNumber < 1 || partNumber > maxParts()) {
      throw new IllegalArgumentException("part number " + partNumber + " outside 1.." + maxParts());
    }
    String action = "upload part " + partNumber + " of";
    String uri = store.uri(upload.key());
    long length = data.length();
    AtomicReference<PartStream> lastTry = new AtomicReference<>();
    Flux<ByteBuffer> body = Flux.using(() -> {
      PartStream stream = new PartStream(data, uri);
      lastTry.set(stream);
      return stream;
    }, AzureMultipartWriter::buffers, stream -> closeQuietly(stream))
        .subscribeOn(Schedulers.boundedElastic());
    String blockId = blockId(upload.uploadId(), partNumber);
    try {
      store.blob(upload.key()).stageBlockWithResponse(new BlockBlobStageBlockOptions(blockId,
          BinaryData.fromFlux(body, length, false).block()),
          store.uploadCallTimeout(length), store.uploadContext(length));
    } catch (RuntimeException e) {
      StoreException source = PartStream.failure(action, uri, e, lastTry.get());
      throw source != null ? source : AzureErrors.translate(action, uri, e);
    }
    PartStream sent = lastTry.get();
    if (sent == null) {
      throw new StoreException(Kind.FATAL, AzureErrors.message(action, uri, "the SDK sent no body"));
    }
    sent.verify(action, null);
    return new PartReceipt(partNumber, length, data.crc32c(), blockId);
  }

  /** The stream's bytes as fresh 64 KiB buffers (the HTTP client may hold each until it is written). */
  private static Flux<ByteBuffer> buffers(PartStream stream) {
    return Flux.generate(sink -> {
      byte[] buffer = new byte[64 << 10];
      int n;
      try {
        n = stream.readNBytes(buffer, 0, buffer.length);
      } catch (IOException e) {
        sink.error(e); // interrupted; a failure of the data itself is thrown unchecked
        return;
      }
      if (n > 0) {
        sink.next(ByteBuffer.wrap(buffer, 0, n));
      } else {
        sink.complete();
      }
    });
  }

  private static void closeQuietly(PartStream stream) {
    try {
      stream.close();
    } catch (IOException | RuntimeException e) {
      // the try is over; its data stream's failure to close changes nothing
    }
  }

  @Override
  public ObjectInfo complete(MultipartUpload upload, List<PartReceipt> parts) throws IOException {
    List<PartReceipt> ordered = inOrder(upload, parts);
    String uri = store.uri(upload.key());
    long size = 0;
    int crc = 0;
    List<String> ids = new ArrayList<>();
    for (PartReceipt part : ordered) {
      if (!part.token().equals(blockId(upload.uploadId(), part.partNumber()))) {
        throw new IllegalArgumentException("part " + part.partNumber() + " of " + uri
            + " belongs to another upload");
      }
      ids.add(part.token());
      size += part.length();
      crc = Crc32c.combine(crc, part.crc32c(), part.length());
    }
    Optional<BlobProperties> existing = store.properties(upload.key(), "complete");
    if (existing.isPresent() && isOurs(existing.get(), upload)) {
      return verified(upload.key(), existing.get(), ordered, size, uri); // committed earlier, answer lost
    }
    BlobRequestConditions condition = existing
        .map(p -> new BlobRequestConditions().setIfMatch(p.getETag()))
        .orElseGet(() -> new BlobRequestConditions().setIfNoneMatch("*"));
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(UPLOAD_METADATA, upload.uploadId());
    metadata.put(AzureStore.CRC_METADATA, Integer.toHexString(crc));
    try {
      store.blob(upload.key()).commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids)
          .setMetadata(metadata).setRequestConditions(condition), store.callTimeout(), null);
    } catch (BlobStorageException e) {
      Optional<BlobProperties> now = store.properties(upload.key(), "complete");
      if (now.isPresent() && isOurs(now.get(), upload)) {
        return verified(upload.key(), now.get(), ordered, size, uri); // an earlier attempt won
      }
      boolean blocksGone = e.getErrorCode() != null && "InvalidBlockList".equals(e.getErrorCode().toString());
      boolean replaced = now.isPresent()
          && !now.get().getETag().equals(existing.map(BlobProperties::getETag).orElse(null));
      boolean committedSinceStart = now.isPresent() && now.get().getLastModified() != null
          && now.get().getLastModified().toInstant().toEpochMilli() >= upload.startedMillis() - 60_000;
      if (now.isPresent() && (replaced || blocksGone && committedSinceStart)) {
        // Another writer committed this blob since we looked: Azure discards every uncommitted block
        // of a blob when its block list is committed, so this upload's parts are gone.
        throw new StoreException(Kind.FATAL, AzureErrors.message("complete", uri, "another writer committed"
            + " the blob meanwhile, which discarded this upload's staged blocks (Azure keeps them only until"
            + " the blob's next commit); the object there is the other writer's, whole"), e);
      }
      throw AzureErrors.translate("complete", uri, e);
    } catch (RuntimeException e) {
      throw AzureErrors.translate("complete", uri, e);
    }
    BlobProperties committed = store.properties(upload.key(), "complete").orElseThrow(() ->
        new StoreException(Kind.RETRYABLE, AzureErrors.message("complete", uri,
            "the object vanished right after the commit")));
    return verified(upload.key(), committed, ordered, size, uri);
  }

  @Override
  public void abort(MultipartUpload upload) throws IOException {
    String uri = store.uri(upload.key());
    BlockBlobClient blob = store.blob(upload.key());
    // a racing commit or placeholder delete by someone else makes a step fail; look again, a few times
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<BlobProperties> existing = store.properties(upload.key(), "abort");
      if (existing.isPresent()) {
        if (isPlaceholder(existing.get())) {
          deletePlaceholder(blob, existing.get().getETag(), uri);
        }
        return; // committed content stays; our blocks are discarded by the service (see above)
      }
      if (ourBlocks(upload.key(), "abort").stream().noneMatch(upload.uploadId()::equals)) {
        return; // nothing staged for this upload
      }
      String etag;
      try {
        etag = blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(List.of())
                .setMetadata(Map.of(ABORT_METADATA, upload.uploadId()))
                .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")), store.callTimeout(), null)
            .getValue().getETag();
      } catch (BlobStorageException e) {
        if (e.getStatusCode() == 404 || e.getStatusCode() == 409 || e.getStatusCode() == 412) {
          continue; // someone committed meanwhile: a real object stays, a placeholder goes
        }
        throw AzureErrors.translate("abort", uri, e);
      } catch (RuntimeException e) {
        throw AzureErrors.translate("abort", uri, e);
      }
      deletePlaceholder(blob, etag, uri);
      return;
    }
  }

  /** Deletes the empty abort placeholder if it is still the blob at the key (its ETag). */
  private void deletePlaceholder(BlockBlobClient blob, String etag, String uri) throws IOException {
    try {
      blob.deleteWithResponse(null, new BlobRequestConditions().setIfMatch(etag), store.callTimeout(), null);
    } catch (BlobStorageException e) {
      if (e.getStatusCode() != 404 && e.getStatusCode() != 412) {
        throw AzureErrors.translate("abort", uri, e);
      }
    } catch (RuntimeException e) {
      throw AzureErrors.translate("abort", uri, e);
    }
  }

  /** An empty blob committed by {@link #abort} and not yet deleted. */
  static boolean isPlaceholder(BlobProperties properties) {
    return properties.getBlobSize() == 0 && properties.getMetadata() != null
        && properties.getMetadata().containsKey(ABORT_METADATA);
  }

  /**
   * Lists the blobs under {@code prefix} including uncommitted ones and reads the uncommitted block
   * list of each: one extra request per blob, so use it for cleanup, not on hot paths.
   */
  @Override
  public List<MultipartUpload> pending(String prefix) throws IOException {
    List<MultipartUpload> uploads = new ArrayList<>();
    try {
      for (BlobItem item : store.container().listBlobs(new ListBlobsOptions()
          .setPrefix(prefix.isEmpty() ? null : prefix).setMaxResultsPerPage(1000)
          .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true).setRetrieveMetadata(true)),
          store.callTimeout())) {
        for (String id : ourBlocks(item.getName(), "list pending uploads of")) {
          uploads.add(upload(item.getName(), id));
        }
        String placeholder = item.getMetadata() == null ? null : item.getMetadata().get(ABORT_METADATA);
        if (placeholder != null && item.getProperties().getContentLength() == 0
            && uploadIdIsValid(placeholder) && uploads.stream().noneMatch(u -> u.key().equals(item.getName())
                && u.uploadId().equals(placeholder))) {
          uploads.add(upload(item.getName(), placeholder)); // an abort whose delete never happened
        }
      }
    } catch (RuntimeException e) {
      throw AzureErrors.translate("list pending uploads under", store.uri(prefix), e);
    }
    return List.copyOf(uploads);
  }

  @Override
  public long minPartSize() {
    return 5L << 20; // Azure has no minimum; one size for every store keeps chunking simple
  }

  @Override
  public int maxParts() {
    return 50_000; // blocks in a committed block blob
  }

  static String blockId(String uploadId, int partNumber) {
    return Base64.getEncoder().encodeToString(
        (ID_MARK + uploadId + String.format("%05d", partNumber)).getBytes(US_ASCII));
  }

  /** The upload ids of our uncommitted blocks on the blob at {@code key}, in order, distinct. */
  private List<String> ourBlocks(String key, String action) throws IOException {
    BlockList blocks;
    try {
      blocks = store.blob(key).listBlocksWithResponse(
          new BlockBlobListBlocksOptions(BlockListType.UNCOMMITTED), store.callTimeout(), null).getValue();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return List.of();
      }
      throw AzureErrors.translate(action, store.uri(key), e);
    } catch (RuntimeException e) {
      throw AzureErrors.translate(action, store.uri(key), e);
    }
    List<String> ids = new ArrayList<>();
    for (Block block : blocks.getUncommittedBlocks()) {
      String id = uploadIdOf(block.getName());
      if (id != null && !ids.contains(id)) {
        ids.add(id);
      }
    }
    return ids;
  }

  private static MultipartUpload upload(String key, String id) {
    return new MultipartUpload(key, id, Long.parseLong(id.substring(0, 12), 16));
  }

  private static boolean uploadIdIsValid(String id) {
    return id.length() == ID_LENGTH && id.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  private static String uploadIdOf(String blockId) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(blockId);
    } catch (IllegalArgumentException e) {
      return null; // not ours
    }
    String text = new String(raw, US_ASCII);
    if (text.length() != ID_MARK.length() + ID_LENGTH + 5 || !text.startsWith(ID_MARK)) {
      return null;
    }
    String id = text.substring(ID_MARK.length(), ID_MARK.length() + ID_LENGTH);
    return uploadIdIsValid(id) ? id : null;
  }

  private static boolean isOurs(BlobProperties properties, MultipartUpload upload) {
    Map<String, String> metadata = properties.getMetadata();
    return metadata != null && upload.uploadId().equals(metadata.get(UPLOAD_METADATA));
  }

  /** Checks the committed blob's size and its block list (id and size of every part). */
  private ObjectInfo verified(String key, BlobProperties properties, List<PartReceipt> parts,
      long size, String uri) throws IOException {
    if (properties.getBlobSize() != size) {
      throw new StoreException(Kind.FATAL, AzureErrors.message("complete", uri,
          "committed " + properties.getBlobSize() + " bytes, expected " + size));
    }
    List<Block> committed;
    try {
      committed = store.blob(key).listBlocksWithResponse(
          new BlockBlobListBlocksOptions(BlockListType.COMMITTED), store.callTimeout(), null)
          .getValue().getCommittedBlocks();
    } catch (RuntimeException e) {
      throw AzureErrors.translate("verify", uri, e);
    }
    boolean same = committed.size() == parts.size();
    for (int i = 0; same && i < parts.size(); i++) {
      same = committed.get(i).getName().equals(parts.get(i).token())
          && committed.get(i).getSizeLong() == parts.get(i).length();
    }
    if (!same) {
      throw new StoreException(Kind.FATAL, AzureErrors.message("complete", uri,
          "the committed block list differs from the uploaded parts"));
    }
    return AzureStore.info(key, properties);
  }

  private List<PartReceipt> inOrder(MultipartUpload upload, List<PartReceipt> parts) {
    List<PartReceipt> ordered = new ArrayList<>(parts);
    ordered.sort(Comparator.comparingInt(PartReceipt::partNumber));
    if (ordered.isEmpty()) {
      throw new IllegalArgumentException("no parts to complete " + store.uri(upload.key()));
    }
    for (int i = 0; i < ordered.size(); i++) {
      if (ordered.get(i).partNumber() != i + 1) {
        throw new IllegalArgumentException("parts of " + store.uri(upload.key())
            + " must be numbered 1.." + ordered.size() + " without gaps or repeats, got part "
            + ordered.get(i).partNumber() + " at position " + (i + 1));
      }
    }
    return ordered;
  }
}
