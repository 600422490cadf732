package io.skyplane.store.s3;

import io.skyplane.store.DelimitedListing;
import io.skyplane.store.VersionedRead;
import static java.util.Objects.requireNonNull;

import io.skyplane.store.MultipartWriter;
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
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import javax.annotation.Nullable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.CRC32C;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * One bucket. Keys are sent as they are (S3 keys are opaque strings), except that keys starting
 * with '/' or empty are rejected (the contract's keys never start with '/'). Requests without object
 * data carry a per-try timeout ({@code request-timeout}), uploads a longer one ({@link
 * RequestSettings#uploadTimeout}); ranged reads resume where their stream broke, pinned to the ETag.
 */
final class S3Store implements ObjectStore, VersionedRead, DelimitedListing, RetryStats {
  private final String bucket;
  private final S3Client client;
  private final SdkAutoCloseable credentials;
  private final S3Multipart multipart;
  private final RequestSettings requests;
  private final RetryCounter counter;
  private final AwsRequestOverrideConfiguration timed;
  private volatile boolean bucketSeen;

  S3Store(String bucket, S3Client client, SdkAutoCloseable credentials, RequestSettings requests,
      RetryCounter counter) {
    this.bucket = requireNonNull(bucket, "bucket is null");
    this.client = requireNonNull(client, "client is null");
    this.credentials = requireNonNull(credentials, "credentials is null");
    this.requests = requireNonNull(requests, "requests is null");
    this.counter = requireNonNull(counter, "counter is null");
    this.timed = AwsRequestOverrideConfiguration.builder()
        .apiCallAttemptTimeout(requests.requestTimeout()).build();
    this.multipart = new S3Multipart(this);
  }

  /** The per-try timeout of requests that carry no object data. */
  AwsRequestOverrideConfiguration timed() {
    return timed;
  }

  /** The per-try timeout of a request that uploads {@code bytes}. */
  AwsRequestOverrideConfiguration timedUpload(long bytes) {
    return AwsRequestOverrideConfiguration.builder()
        .apiCallAttemptTimeout(requests.uploadTimeout(bytes)).build();
  }

  @Override
  public RetryCounts retryCounts() {
    return counter.retryCounts();
  }

  String bucket() {
    return bucket;
  }

  S3Client client() {
    return client;
  }

  @Override
  public String uri(String key) {
    return "s3://" + bucket + "/" + key;
  }

  void checkKey(String action, String key) throws StoreException {
    Keys.check(action, key, uri(key));
  }

  /**
   * One ListObjectsV2 page under {@code prefix} ("" for all), grouped by {@code delimiter} when it
   * is not null, after {@code continuationToken} when it is not null; failures are translated and
   * wrapped in {@link java.io.UncheckedIOException}, as listings report them.
   */
  ListObjectsV2Response listPage(String prefix, @Nullable String delimiter, @Nullable String continuationToken) {
    ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket)
        .overrideConfiguration(timed);
    if (!prefix.isEmpty()) {
      request.prefix(prefix);
    }
    if (delimiter != null) {
      request.delimiter(delimiter);
    }
    if (continuationToken != null) {
      request.continuationToken(continuationToken);
    }
    try {
      return client.listObjectsV2(request.build());
    } catch (RuntimeException e) {
      throw new java.io.UncheckedIOException(S3Errors.translate("list", uri(prefix), e));
    }
  }

  ObjectInfo info(String key, long size, Instant lastModified, String etag) {
    String tag = etag == null ? "" : etag;
    return new ObjectInfo(key, size, lastModified == null ? 0 : lastModified.toEpochMilli(), tag, tag);
  }

  /** A body over the caller's bytes, without a copy; the SDK re-opens it to retry. */
  static RequestBody body(byte[] data, int offset, int length) {
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(data, offset, length), length, "application/octet-stream");
  }

  static String crc32cHeader(int crc32c) {
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt(crc32c).array());
  }

  /** The CRC32C of an {@code x-amz-checksum-crc32c} value (base64, big-endian). */
  static int crc32c(String header) {
    return ByteBuffer.wrap(Base64.getDecoder().decode(header)).getInt();
  }

  @Override
  public ObjectListing list(String prefix) throws IOException {
    requireNonNull(prefix, "prefix is null");
    return new S3Listing(this, prefix).start();
  }

  @Override
  public Level listLevel(String prefix) throws IOException {
    requireNonNull(prefix, "prefix is null");
    return new S3Level(this, prefix).start();
  }

  @Override
  public Optional<ObjectInfo> stat(String key) throws IOException {
    checkKey("stat", key);
    try {
      HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key(key).overrideConfiguration(timed));
      return Optional.of(info(key, head.contentLength(), head.lastModified(), head.eTag()));
    } catch (RuntimeException e) {
      StoreException error = S3Errors.translate("stat", uri(key), e);
      if (error.kind() == StoreException.Kind.NOT_FOUND && !isNoSuchBucket(e)) {
        return Optional.empty();
      }
      throw error;
    }
  }

  /**
   * HEAD answers 404 without a body: tell a missing bucket from a missing key by a HEAD of the
   * bucket, once per store (a bucket seen is assumed to stay).
   */
  private boolean isNoSuchBucket(RuntimeException headFailure) {
    if (bucketSeen) {
      return false;
    }
    try {
      client.headBucket(b -> b.bucket(bucket).overrideConfiguration(timed));
      bucketSeen = true;
      return false;
    } catch (RuntimeException e) {
      headFailure.addSuppressed(e);
      return S3Errors.isNotFound(e);
    }
  }

  @Override
  public InputStream read(String key, long offset, long length) throws IOException {
    return read(key, offset, length, "");
  }

  @Override
  public InputStream read(String key, long offset, long length, String version) throws IOException {
    checkKey("read", key);
    if (offset < 0 || length < 0) {
      throw S3Errors.fatal("read", uri(key), "negative range " + offset + "+" + length);
    }
    if (length == 0) {
      // An HTTP range cannot be empty: check the object exists and is long enough.
      ObjectInfo info = stat(key).orElseThrow(() -> new StoreException(
          StoreException.Kind.NOT_FOUND, "cannot read " + uri(key) + ": not found"));
      if (offset > info.size()) {
        throw pastEnd(key, offset, length, info.size());
      }
      if (!version.isEmpty() && !version.equals(info.version())) {
        throw VersionedRead.changed(uri(key), version, info.version());
      }
      return InputStream.nullInputStream();
    }
    String uri = uri(key);
    ReadOpener opener = new ReadOpener(key, offset + length, version);
    return ResumingInputStream.open(uri, offset, length, opener, S3Errors::translate,
        requests.attempts() - 1, counter);
  }

  /**
   * Opens the rest of a ranged read: a GET of {@code [offset, end)} with {@code If-Match} on the
   * version asked for, or else on the ETag the first GET answered, so that a resumed read never
   * mixes two versions.
   */
  private final class ReadOpener implements ResumingInputStream.Opener {
    private final String key;
    private final long end;
    private String pinned;

    ReadOpener(String key, long end, String version) {
      this.key = key;
      this.end = end;
      this.pinned = version;
    }

    @Override
    public InputStream open(long offset, long length) throws IOException {
      String range = "bytes=" + offset + "-" + (end - 1);
      String ifMatch = pinned.isEmpty() ? null : pinned;
      ResponseInputStream<GetObjectResponse> in;
      try {
        in = client.getObject(b -> b.bucket(bucket).key(key).range(range).ifMatch(ifMatch));
      } catch (RuntimeException e) {
        if (ifMatch != null && e instanceof AwsServiceException ase && ase.statusCode() == 412) {
          throw VersionedRead.changed(uri(key), ifMatch, "another");
        }
        StoreException error = S3Errors.translate("read " + range + " of", uri(key), e);
        if (e instanceof AwsServiceException ase && ase.statusCode() == 416) {
          throw new StoreException(StoreException.Kind.FATAL, "cannot read " + uri(key) + ": range ["
              + offset + ", " + end + ") is past the end", e);
        }
        throw error;
      }
      Long received = in.response().contentLength();
      if (received == null || received != length) {
        // S3 shortens a range that runs past the end instead of failing.
        in.abort();
        String size = in.response().contentRange() == null ? "?" : in.response().contentRange();
        throw S3Errors.fatal("read", uri(key), "range [" + offset + ", " + end
            + ") is past the end (Content-Range " + size + ")");
      }
      if (pinned.isEmpty() && in.response().eTag() != null) {
        pinned = in.response().eTag();
      }
      return in;
    }

    @Override
    public void discard(InputStream broken) {
      if (broken instanceof ResponseInputStream<?> response) {
        response.abort(); // do not drain a broken or unfinished body
      } else {
        ResumingInputStream.Opener.super.discard(broken);
      }
    }
  }

  private StoreException pastEnd(String key, long offset, long length, long size) {
    return S3Errors.fatal("read", uri(key),
        "range [" + offset + ", " + (offset + length) + ") is past the end (size " + size + ")");
  }

  @Override
  public ObjectInfo put(String key, byte[] data, int offset, int length, int crc32c) throws IOException {
    checkKey("put", key);
    // S3 checks the body against x-amz-checksum-crc32c and stores nothing on a mismatch. Check it
    // here too: an S3-compatible store may ignore the header.
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    if ((int) crc.getValue() != crc32c) {
      throw S3Errors.fatal("put", uri(key), String.format(
          "CRC32C mismatch: expected %08x, data has %08x; nothing written", crc32c, (int) crc.getValue()));
    }
    try {
      PutObjectResponse response = client.putObject(
          b -> b.bucket(bucket).key(key).contentLength((long) length).checksumCRC32C(crc32cHeader(crc32c))
              .overrideConfiguration(timedUpload(length)),
          body(data, offset, length));
      return info(key, length, Instant.now(), response.eTag());
    } catch (RuntimeException e) {
      throw S3Errors.translate("put", uri(key), e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    checkKey("delete", key);
    try {
      client.deleteObject(b -> b.bucket(bucket).key(key).overrideConfiguration(timed));
    } catch (RuntimeException e) {
      StoreException error = S3Errors.translate("delete", uri(key), e);
      if (error.kind() != StoreException.Kind.NOT_FOUND || isNoSuchBucket(e)) {
        throw error;
      }
    }
  }

  @Override
  public MultipartWriter multipart() {
    return multipart;
  }

  @Override
  public void close() {
    client.close();
    credentials.close();
  }
}
