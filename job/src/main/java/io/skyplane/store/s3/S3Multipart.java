package io.skyplane.store.s3;

import io.skyplane.store.MultipartUpload;
import io.skyplane.store.MultipartWriter;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.PartData;
import io.skyplane.store.PartReceipt;
import io.skyplane.store.PartStream;
import io.skyplane.store.StoreException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * S3's native multipart upload. Uploads are created with the CRC32C checksum algorithm: every part
 * carries its x-amz-checksum-crc32c, which S3 checks, and complete lists each part's ETag and
 * CRC32C. A receipt's token is the part's ETag.
 *
 * <p>A part from {@link PartData} is streamed: the UploadPart starts at once and sends the bytes as
 * they arrive, with the CRC32C computed by the SDK as a trailer (aws-chunked; the CRC is not known
 * when the request starts). Each try of the SDK's retries re-opens the data from its first byte.
 * Before the receipt is returned, the CRC32C of the bytes the last try sent, and the one S3 reports
 * for what it received (S3 checks the trailer; S3Proxy 4.1.0 neither checks nor reports it), are
 * compared with the part's: a mismatch is {@link StoreException.Kind#FATAL}, and without a receipt
 * the part is never completed.
 */
final class S3Multipart implements MultipartWriter {
  static final long MIN_PART_SIZE = 5L << 20;
  static final int MAX_PARTS = 10_000;
  /**
   * When a complete fails and the object is at the key with the right size, it is ours if it was
   * written after the upload started; this margin absorbs clock skew between worker and store.
   */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(15);

  private final S3Store store;

  S3Multipart(S3Store store) {
    this.store = store;
  }

  @Override
  public MultipartUpload create(String key) throws IOException {
    store.checkKey("create an upload for", key);
    long started = System.currentTimeMillis();
    try {
      String id = store.client().createMultipartUpload(
          b -> b.bucket(store.bucket()).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32_C)
              .overrideConfiguration(store.timed())).uploadId();
      return new MultipartUpload(key, id, started);
    } catch (RuntimeException e) {
      throw S3Errors.translate("create an upload for", store.uri(key), e);
    }
  }

  @Override
  public PartReceipt upload(MultipartUpload upload, int partNumber, long objectOffset, byte[] data,
      int offset, int length, int crc32c) throws IOException {
    String action = "upload part " + partNumber + " of";
    String uri = store.uri(upload.key());
    if (partNumber < 1 || partNumber > MAX_PARTS || objectOffset < 0) {
      throw S3Errors.fatal(action, uri, "part numbers are 1.." + MAX_PARTS + ", offsets >= 0");
    }
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    if ((int) crc.getValue() != crc32c) {
      throw S3Errors.fatal(action, uri, String.format(
          "CRC32C mismatch: expected %08x, data has %08x", crc32c, (int) crc.getValue()));
    }
    try {
      String etag = store.client().uploadPart(
          b -> b.bucket(store.bucket()).key(upload.key()).uploadId(upload.uploadId()).partNumber(partNumber)
              .contentLength((long) length).checksumCRC32C(S3Store.crc32cHeader(crc32c))
              .overrideConfiguration(store.timedUpload(length)),
          S3Store.body(data, offset, length)).eTag();
      return new PartReceipt(partNumber, length, crc32c, etag);
    } catch (RuntimeException e) {
      throw S3Errors.translate(action, uri, e);
    }
  }

  @Override
  public PartReceipt upload(MultipartUpload upload, int partNumber, long objectOffset, PartData data)
      throws IOException {
    String action = "upload part " + partNumber + " of";
    String uri = store.uri(upload.key());
    if (partNumber < 1 || partNumber > MAX_PARTS || objectOffset < 0) {
      throw S3Errors.fatal(action, uri, "part numbers are 1.." + MAX_PARTS + ", offsets >= 0");
    }
    long length = data.length();
    AtomicReference<PartStream> lastTry = new AtomicReference<>();
    RequestBody body = RequestBody.fromContentProvider(() -> {
      PartStream stream = new PartStream(data, uri);
      lastTry.set(stream);
      return stream;
    }, length, "application/octet-stream");
    UploadPartResponse response;
    try {
      response = store.client().uploadPart(
          b -> b.bucket(store.bucket()).key(upload.key()).uploadId(upload.uploadId()).partNumber(partNumber)
              .contentLength(length).checksumAlgorithm(ChecksumAlgorithm.CRC32_C)
              .overrideConfiguration(store.timedUpload(length)),
          body);
    } catch (RuntimeException e) {
      StoreException source = PartStream.failure(action, uri, e, lastTry.get());
      throw source != null ? source : S3Errors.translate(action, uri, e);
    }
    PartStream sent = lastTry.get();
    if (sent == null) {
      throw S3Errors.fatal(action, uri, "the SDK sent no body");
    }
    String reported = response.checksumCRC32C();
    sent.verify(action, reported == null || reported.isEmpty() ? null : S3Store.crc32c(reported));
    return new PartReceipt(partNumber, length, data.crc32c(), response.eTag());
  }

  @Override
  public ObjectInfo complete(MultipartUpload upload, List<PartReceipt> parts) throws IOException {
    String uri = store.uri(upload.key());
    List<PartReceipt> sorted = new ArrayList<>(parts);
    sorted.sort(Comparator.comparingInt(PartReceipt::partNumber));
    long size = 0;
    List<CompletedPart> completed = new ArrayList<>(sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      PartReceipt part = sorted.get(i);
      if (part.partNumber() != i + 1) {
        throw S3Errors.fatal("complete", uri, "parts are not numbered 1.." + sorted.size());
      }
      size += part.length();
      completed.add(CompletedPart.builder().partNumber(part.partNumber()).eTag(part.token())
          .checksumCRC32C(S3Store.crc32cHeader(part.crc32c())).build());
    }
    try {
      String etag = store.client().completeMultipartUpload(
          b -> b.bucket(store.bucket()).key(upload.key()).uploadId(upload.uploadId())
              .multipartUpload(m -> m.parts(completed)).overrideConfiguration(store.timed())).eTag();
      return store.stat(upload.key()).orElseGet(
          () -> new ObjectInfo(upload.key(), 0, System.currentTimeMillis(), etag, etag));
    } catch (RuntimeException e) {
      // An earlier attempt may have completed the upload and lost the answer (NoSuchUpload now):
      // the object at the key, with the parts' size, written after the upload started, is ours.
      StoreException error = S3Errors.translate("complete upload " + upload.uploadId() + " of", uri, e);
      Optional<ObjectInfo> done;
      try {
        done = store.stat(upload.key());
      } catch (IOException statFailure) {
        error.addSuppressed(statFailure);
        throw error;
      }
      if (done.isPresent() && done.get().size() == size
          && done.get().lastModifiedMillis() >= upload.startedMillis() - CLOCK_SKEW.toMillis()) {
        return done.get();
      }
      throw error;
    }
  }

  @Override
  public void abort(MultipartUpload upload) throws IOException {
    try {
      store.client().abortMultipartUpload(
          b -> b.bucket(store.bucket()).key(upload.key()).uploadId(upload.uploadId())
              .overrideConfiguration(store.timed()));
    } catch (RuntimeException e) {
      StoreException error = S3Errors.translate("abort upload " + upload.uploadId() + " of",
          store.uri(upload.key()), e);
      if (error.kind() != StoreException.Kind.NOT_FOUND) { // finished or unknown: nothing to do
        throw error;
      }
    }
  }

  @Override
  public List<MultipartUpload> pending(String prefix) throws IOException {
    List<MultipartUpload> uploads = new ArrayList<>();
    String keyMarker = null;
    String uploadIdMarker = null;
    try {
      while (true) {
        ListMultipartUploadsRequest.Builder request =
            ListMultipartUploadsRequest.builder().bucket(store.bucket()).prefix(prefix)
                .overrideConfiguration(store.timed());
        if (keyMarker != null) {
          request.keyMarker(keyMarker).uploadIdMarker(uploadIdMarker);
        }
        ListMultipartUploadsResponse page = store.client().listMultipartUploads(request.build());
        page.uploads().forEach(u -> uploads.add(new MultipartUpload(
            u.key(), u.uploadId(), u.initiated() == null ? 0 : u.initiated().toEpochMilli())));
        if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextKeyMarker() == null) {
          return uploads;
        }
        keyMarker = page.nextKeyMarker();
        uploadIdMarker = page.nextUploadIdMarker();
      }
    } catch (RuntimeException e) {
      throw S3Errors.translate("list uploads under", store.uri(prefix), e);
    }
  }

  @Override
  public long minPartSize() {
    return MIN_PART_SIZE;
  }

  @Override
  public int maxParts() {
    return MAX_PARTS;
  }
}
