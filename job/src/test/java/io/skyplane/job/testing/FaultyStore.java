package io.skyplane.job.testing;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.testing.FaultPlan.CompleteFault;
import io.skyplane.store.MultipartUpload;
import io.skyplane.store.MultipartWriter;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.PartData;
import io.skyplane.store.PartReceipt;
import io.skyplane.store.WriteOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** A real store whose writes fail as a {@link FaultPlan} says; reads pass through. */
final class FaultyStore implements ObjectStore {
  private final ObjectStore delegate;
  private final FaultPlan plan;
  private final MultipartWriter multipart;

  FaultyStore(ObjectStore delegate, FaultPlan plan) {
    this.delegate = requireNonNull(delegate, "delegate is null");
    this.plan = requireNonNull(plan, "plan is null");
    this.multipart = new FaultyMultipart(delegate.multipart());
  }

  @Override
  public String uri(String key) {
    return delegate.uri(key);
  }

  @Override
  public ObjectListing list(String prefix) throws IOException {
    return delegate.list(prefix);
  }

  @Override
  public Optional<ObjectInfo> stat(String key) throws IOException {
    return delegate.stat(key);
  }

  @Override
  public InputStream read(String key, long offset, long length) throws IOException {
    return delegate.read(key, offset, length);
  }

  @Override
  public ObjectInfo put(String key, byte[] data, int offset, int length, int crc32c) throws IOException {
    beforePut(key);
    return delegate.put(key, data, offset, length, crc32c);
  }

  @Override
  public ObjectInfo put(String key, PartData data, WriteOptions options) throws IOException {
    beforePut(key);
    return delegate.put(key, data, options);
  }

  private void beforePut(String key) throws IOException {
    FaultLog.record("put " + key);
    if (plan.put() && plan.matches(key)) {
      FaultLog.record("fault put " + key);
      plan.fail("put of " + key);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    delegate.delete(key);
  }

  @Override
  public MultipartWriter multipart() {
    return multipart;
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  private final class FaultyMultipart implements MultipartWriter {
    private final MultipartWriter real;

    FaultyMultipart(MultipartWriter real) {
      this.real = requireNonNull(real, "real is null");
    }

    @Override
    public MultipartUpload create(String key) throws IOException {
      FaultLog.record("create " + key);
      return real.create(key);
    }

    @Override
    public MultipartUpload create(String key, String tag) throws IOException {
      FaultLog.record("create " + key);
      return real.create(key, tag);
    }

    @Override
    public PartReceipt upload(MultipartUpload upload, int partNumber, long objectOffset, byte[] data,
        int offset, int length, int crc32c) throws IOException {
      beforeUpload(upload, partNumber);
      return real.upload(upload, partNumber, objectOffset, data, offset, length, crc32c);
    }

    @Override
    public PartReceipt upload(MultipartUpload upload, int partNumber, long objectOffset, PartData data)
        throws IOException {
      beforeUpload(upload, partNumber);
      return real.upload(upload, partNumber, objectOffset, data);
    }

    @Override
    public boolean rereadsParts() {
      return real.rereadsParts();
    }

    private void beforeUpload(MultipartUpload upload, int partNumber) throws IOException {
      String key = upload.key();
      FaultLog.record("upload " + key + " #" + partNumber);
      if (plan.failingUpload() > 0 && plan.matches(key)) {
        boolean nth = FaultLog.MATCHING_UPLOADS.incrementAndGet() == plan.failingUpload();
        if (nth) {
          FaultLog.FAILED_PART.set(partNumber);
        }
        if ((nth || FaultLog.FAILED_PART.get() == partNumber)
            && FaultLog.UPLOAD_FAULTS.incrementAndGet() <= plan.uploadFailures()) {
          FaultLog.record("fault upload " + key + " #" + partNumber);
          plan.fail("upload of part " + partNumber + " of " + key);
        }
      }
    }

    @Override
    public ObjectInfo complete(MultipartUpload upload, List<PartReceipt> parts) throws IOException {
      return complete(upload, parts, 0);
    }

    @Override
    public ObjectInfo complete(MultipartUpload upload, List<PartReceipt> parts, long modifiedMillis)
        throws IOException {
      String key = upload.key();
      FaultLog.record("complete " + key);
      boolean faulty = plan.complete() != CompleteFault.NONE && plan.matches(key)
          && FaultLog.COMPLETE_FAULTS.incrementAndGet() <= plan.completeFailures();
      if (faulty && plan.complete() == CompleteFault.BEFORE) {
        FaultLog.record("fault complete " + key);
        plan.fail("complete of " + key);
      }
      ObjectInfo info = real.complete(upload, parts, modifiedMillis);
      FaultLog.record("completed " + key);
      if (faulty) {
        FaultLog.record("fault lost answer of complete " + key);
        plan.fail("the answer of complete of " + key + " was lost");
      }
      return info;
    }

    @Override
    public void abort(MultipartUpload upload) throws IOException {
      FaultLog.record("abort " + upload.key());
      real.abort(upload);
    }

    @Override
    public List<MultipartUpload> pending(String prefix) throws IOException {
      return real.pending(prefix);
    }

    @Override
    public long minPartSize() {
      return real.minPartSize();
    }

    @Override
    public int maxParts() {
      return real.maxParts();
    }
  }
}
