package io.skyplane.store.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DownloadRetryOptions;
import io.skyplane.store.VersionedRead;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A ranged read of one blob, downloaded chunk by chunk ({@value AzureStore#READ_CHUNK} bytes), each
 * chunk one call pinned to the ETag first seen ({@code If-Match}; a 412 is "changed since it was
 * listed"). A chunk whose body breaks is resumed by the SDK at the byte reached, up to {@code
 * attempts - 1} times ({@link DownloadRetryOptions}); the call has an overall timeout ({@link
 * AzureStore#callTimeout}). The context carries a counter of the call's requests, so that {@link
 * AzureTryPolicy} can count the SDK's resumes.
 */
final class AzureChunkedRead extends InputStream {
  private final AzureStore store;
  private final String key;
  private final String etag;
  private long position;
  private long remaining;
  private ByteBuffer chunk = ByteBuffer.allocate(0);

  AzureChunkedRead(AzureStore store, String key, String etag, long offset, long length) {
    this.store = store;
    this.key = key;
    this.etag = etag;
    this.position = offset;
    this.remaining = length;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!chunk.hasRemaining()) {
      if (remaining == 0) {
        return -1;
      }
      chunk = download((int) Math.min(AzureStore.READ_CHUNK, remaining));
      if (!chunk.hasRemaining()) {
        return -1;
      }
    }
    int n = Math.min(len, chunk.remaining());
    chunk.get(b, off, n);
    return n;
  }

  private ByteBuffer download(int size) throws IOException {
    BlobRange range = new BlobRange(position, (long) size);
    ByteBuffer bytes;
    try {
      bytes = store.blob(key).downloadContentWithResponse(
          new DownloadRetryOptions().setMaxRetryRequests(store.requests().attempts() - 1),
          new BlobRequestConditions().setIfMatch(etag), range, false,
          store.callTimeout(store.requests().uploadTimeout(size)), new Context(AzureTryPolicy.READ_CALLS, new java.util.concurrent.atomic.AtomicInteger()))
          .getValue().toByteBuffer();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 412) {
        throw VersionedRead.changed(store.uri(key), etag, "another");
      }
      throw AzureErrors.translate("read", store.uri(key), e);
    } catch (RuntimeException e) {
      throw AzureErrors.translate("read", store.uri(key), e);
    }
    position += bytes.remaining();
    remaining -= bytes.remaining();
    return bytes;
  }

  @Override
  public int available() {
    return chunk.remaining();
  }
}
