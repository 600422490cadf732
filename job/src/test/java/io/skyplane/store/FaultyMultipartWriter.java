package io.skyplane.store;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a real writer and fails chosen calls: the n-th part upload (before it reaches the store),
 * and complete either before or after the real complete ran (a lost answer).
 */
public final class FaultyMultipartWriter implements MultipartWriter {
  /** When complete fails. */
  public enum CompleteFault { NONE, BEFORE, AFTER_SUCCESS }

  private final MultipartWriter delegate;
  private final int failingUpload;
  private final AtomicInteger uploads = new AtomicInteger();
  private final AtomicInteger completeFaults;
  private final CompleteFault completeFault;

  /**
   * @param failingUpload the 1-based number of the upload call that fails, or 0 for none
   * @param completeFault how complete fails
   * @param completeFaults how many complete calls fail that way
   */
  public FaultyMultipartWriter(MultipartWriter delegate, int failingUpload, CompleteFault completeFault,
      int completeFaults) {
    this.delegate = delegate;
    this.failingUpload = failingUpload;
    this.completeFault = completeFault;
    this.completeFaults = new AtomicInteger(completeFaults);
  }

  private static StoreException injected(String what) {
    return new StoreException(StoreException.Kind.RETRYABLE, "injected failure: " + what);
  }

  @Override
  public MultipartUpload create(String key) throws IOException {
    return delegate.create(key);
  }

  @Override
  public PartReceipt upload(MultipartUpload upload, int partNumber, long objectOffset, byte[] data,
      int offset, int length, int crc32c) throws IOException {
    if (uploads.incrementAndGet() == failingUpload) {
      throw injected("upload of part " + partNumber);
    }
    return delegate.upload(upload, partNumber, objectOffset, data, offset, length, crc32c);
  }

  @Override
  public PartReceipt upload(MultipartUpload upload, int partNumber, long objectOffset, PartData data)
      throws IOException {
    if (uploads.incrementAndGet() == failingUpload) {
      throw injected("upload of part " + partNumber);
    }
    return delegate.upload(upload, partNumber, objectOffset, data);
  }

  @Override
  public ObjectInfo complete(MultipartUpload upload, List<PartReceipt> parts) throws IOException {
    if (completeFault == CompleteFault.BEFORE && completeFaults.getAndDecrement() > 0) {
      throw injected("complete");
    }
    ObjectInfo info = delegate.complete(upload, parts);
    if (completeFault == CompleteFault.AFTER_SUCCESS && completeFaults.getAndDecrement() > 0) {
      throw injected("answer of complete lost");
    }
    return info;
  }

  @Override
  public void abort(MultipartUpload upload) throws IOException {
    delegate.abort(upload);
  }

  @Override
  public List<MultipartUpload> pending(String prefix) throws IOException {
    return delegate.pending(prefix);
  }

  @Override
  public long minPartSize() {
    return delegate.minPartSize();
  }

  @Override
  public int maxParts() {
    return delegate.maxParts();
  }
}
