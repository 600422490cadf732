package io.skyplane.store.azure;

import static java.util.Objects.requireNonNull;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.skyplane.store.ResumingInputStream;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreException.Kind;
import io.skyplane.store.VersionedRead;
import java.io.IOException;
import java.io.InputStream;

/**
 * Opens the rest of a ranged read of one blob as one streaming GET (Get Blob with {@code x-ms-range}
 * to the range's end), pinned to the ETag first seen ({@code If-Match}; a 412 is "changed since it
 * was listed"), for {@link ResumingInputStream}, which re-opens it at the byte reached when the body
 * breaks and counts the resumes. The GET goes through the container's HTTP pipeline (credentials,
 * the SDK's retries of error answers and failed connections, {@link AzureTryPolicy}); its body is
 * read as it arrives ({@link AzureBodyStream}), each buffer within {@code idle-timeout} of the one
 * before (the HTTP client's read timeout). The storage SDK's own download calls either buffer a
 * whole answer or push it into an output stream, hence the request made here.
 */
final class AzureRangeRead implements ResumingInputStream.Opener {
  private static final HttpHeaderName VERSION = HttpHeaderName.fromString("x-ms-version");
  private static final HttpHeaderName RANGE = HttpHeaderName.fromString("x-ms-range");

  private final AzureStore store;
  private final String key;
  private final String etag;
  private final long end;

  /** @param end the end of the range (exclusive) */
  AzureRangeRead(AzureStore store, String key, String etag, long end) {
    this.store = requireNonNull(store, "store is null");
    this.key = requireNonNull(key, "key is null");
    this.etag = requireNonNull(etag, "etag is null");
    this.end = end;
  }

  @Override
  public InputStream open(long offset, long length) throws IOException {
    String uri = store.uri(key);
    String range = "bytes=" + offset + "-" + (end - 1);
    BlockBlobClient blob = store.blob(key);
    HttpRequest request = new HttpRequest(HttpMethod.GET, blob.getBlobUrl())
        .setHeader(VERSION, blob.getServiceVersion().getVersion())
        .setHeader(RANGE, range)
        .setHeader(HttpHeaderName.IF_MATCH, etag)
        // as the SDK's own requests: Azurite's Shared Key check fails a GET without it (403)
        .setHeader(HttpHeaderName.CONTENT_LENGTH, "0");
    HttpResponse response;
    try {
      response = blob.getHttpPipeline().send(request, Context.NONE).block(store.callTimeout());
    } catch (RuntimeException e) {
      throw AzureErrors.translate("read " + range + " of", uri, e);
    }
    int status = response.getStatusCode();
    if (status != 206 && status != 200) {
      BlobStorageException error = new BlobStorageException("Get Blob answered " + status, response, null);
      response.close();
      if (status == 412) {
        throw VersionedRead.changed(uri, etag, "another");
      }
      if (status == 416) {
        throw new StoreException(Kind.FATAL, AzureErrors.message("read", uri,
            "range [" + offset + ", " + end + ") is past the end"), error);
      }
      throw AzureErrors.translate("read " + range + " of", uri, error);
    }
    String received = response.getHeaderValue(HttpHeaderName.CONTENT_LENGTH);
    if (received == null || Long.parseLong(received) != length) {
      response.close();
      throw new StoreException(Kind.FATAL, AzureErrors.message("read", uri, "range [" + offset + ", "
          + end + ") answered with " + received + " bytes (past the end?)"));
    }
    AzureBodyStream body = new AzureBodyStream();
    response.getBody().subscribe(body); // the client's read timeout (idle-timeout) fails a stalled body
    return body;
  }
}
