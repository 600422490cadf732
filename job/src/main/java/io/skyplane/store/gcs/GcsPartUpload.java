package io.skyplane.store.gcs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpContent;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpResponse;
import com.google.api.services.storage.Storage;
import com.google.api.services.storage.model.StorageObject;
import com.google.cloud.RetryHelper;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.spi.v1.HttpStorageRpc;
import io.skyplane.store.Crc32c;
import io.skyplane.store.PartStream;
import io.skyplane.store.StoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import javax.annotation.Nullable;

/**
 * Writes one object (a part of a multipart upload) in one JSON-API multipart upload ({@code
 * uploadType=multipart}: the object's metadata, then its bytes) whose body is written straight from
 * the caller's bytes or from a streamed part, with its length known up front (a fixed-length
 * request, so no chunked framing and the write timeout of {@link GcsTransportOptions} applies).
 *
 * <p>The client library offers no such call: its uploads from a stream are either not retried
 * ({@code create(BlobInfo, InputStream)}), or copy the bytes through a buffer of their own in
 * chunks of one request each ({@code createFrom}, {@code writer}). The request is built on the
 * client's own HTTP stack (its request factory: transport, credentials, timeouts) and tried with
 * gax's retry helper, the store's retry settings and the client's uniform retry strategy ({@link
 * GcsRetries#uncounted}; counted here, per try started again): every try writes the body anew,
 * re-opening a streamed part from its first byte. A try whose part's data failed is not retried
 * ({@link PartStream}). The back-off is gax's exponential one from the same settings (full jitter
 * up to 250 ms doubling, at most 20 s), not the client's own.
 */
final class GcsPartUpload {
  /** What one try sends after the metadata. */
  @FunctionalInterface
  interface Body {
    void writeTo(OutputStream out) throws IOException;

    /** The failure of the part's data this try hit, or null. */
    default PartStream.SourceFailed failure() {
      return null;
    }
  }

  private final GcsStore store;
  private final GcsRetries retries;

  GcsPartUpload(GcsStore store, GcsRetries retries) {
    this.store = requireNonNull(store, "store is null");
    this.retries = requireNonNull(retries, "retries is null");
  }

  /**
   * Uploads {@code length} bytes as object {@code name} with {@code metadata}; with {@code crc32c}
   * (when known before the upload) the server refuses bytes that do not match it.
   *
   * @param tries called before each try for the body to write in it
   * @return the stored object's JSON
   */
  StorageObject upload(String name, Map<String, String> metadata, long length, @Nullable Integer crc32c,
      Supplier<Body> tries, String action) throws IOException {
    String uri = store.uri(name);
    StorageObject object = new StorageObject().setBucket(store.bucket()).setName(name)
        .setContentType("application/octet-stream").setMetadata(metadata);
    if (crc32c != null) {
      object.setCrc32c(Crc32c.toBase64(crc32c));
    }
    Storage api = ((HttpStorageRpc) store.storage().getOptions().getRpc()).getStorage();
    byte[] json = api.getJsonFactory().toByteArray(object);
    StorageOptions options = store.storage().getOptions();
    Throwable[] previous = {null};
    try {
      return RetryHelper.runWithRetries(() -> {
        if (previous[0] != null) {
          retries.retried(previous[0]);
        }
        Body body = tries.get();
        try {
          return send(api, store.bucket(), json, length, body);
        } catch (IOException | RuntimeException e) {
          // The HTTP library may lose the body's exception (with a write timeout it reports only
          // "insufficient data written"): ask the body whether its data failed.
          PartStream.SourceFailed failed = body.failure();
          if (failed != null) {
            if (failed != e) {
              failed.addSuppressed(e);
            }
            throw failed; // not retried (GcsRetries)
          }
          RuntimeException failure = e instanceof IOException io ? StorageException.translate(io) : (RuntimeException) e;
          previous[0] = failure;
          throw failure;
        }
      }, options.getRetrySettings(), retries.uncounted(), options.getClock());
    } catch (RetryHelper.RetryHelperException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      StoreException source = PartStream.failure(action, uri, cause);
      throw source != null ? source : GcsErrors.translate(action, uri, cause);
    }
  }

  private static StorageObject send(Storage api, String bucket, byte[] json, long length, Body body)
      throws IOException {
    GenericUrl url = new GenericUrl(api.getRootUrl() + "upload/" + api.getServicePath() + "b/"
        + encode(bucket) + "/o");
    url.set("uploadType", "multipart");
    url.set("projection", "full");
    HttpRequest request = api.getRequestFactory().buildPostRequest(url, new Related(json, length, body));
    request.setParser(api.getObjectParser());
    request.setThrowExceptionOnExecuteError(false);
    HttpResponse response = request.execute();
    try {
      if (!response.isSuccessStatusCode()) {
        throw GoogleJsonResponseException.from(api.getJsonFactory(), response);
      }
      return response.parseAs(StorageObject.class);
    } finally {
      response.disconnect();
    }
  }

  private static String encode(String segment) {
    return java.net.URLEncoder.encode(segment, UTF_8).replace("+", "%20");
  }

  /** A multipart/related body: the metadata part, then the media part of known length. */
  private static final class Related implements HttpContent {
    private final String boundary = "skyplane_" + UUID.randomUUID().toString().replace("-", "");
    private final byte[] head;
    private final byte[] tail;
    private final long length;
    private final Body body;

    Related(byte[] json, long length, Body body) {
      String before = "--" + boundary + "\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n";
      String after = "\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\n\r\n";
      byte[] open = before.getBytes(UTF_8);
      byte[] middle = after.getBytes(UTF_8);
      this.head = new byte[open.length + json.length + middle.length];
      System.arraycopy(open, 0, head, 0, open.length);
      System.arraycopy(json, 0, head, open.length, json.length);
      System.arraycopy(middle, 0, head, open.length + json.length, middle.length);
      this.tail = ("\r\n--" + boundary + "--\r\n").getBytes(UTF_8);
      this.length = length;
      this.body = body;
    }

    @Override
    public long getLength() {
      return head.length + length + tail.length;
    }

    @Override
    public String getType() {
      return "multipart/related; boundary=" + boundary;
    }

    /** No: the HTTP library must not retry on its own; the retry helper above does. */
    @Override
    public boolean retrySupported() {
      return false;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      out.write(head);
      body.writeTo(out);
      out.write(tail);
      out.flush();
    }
  }
}
