package io.skyplane.job.operators;

import io.skyplane.job.model.ChunkResult;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.store.Crc32c;
import io.skyplane.store.MultipartUpload;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.PartReceipt;
import io.skyplane.store.StoreException;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The committer's side of a store destination. For an object uploaded in parts: when every part
 * arrived intact, completes the upload (asking again after a lost answer or a transient failure:
 * the store's complete is idempotent, a retry finds our object committed) and checks the result: the size, and the store's whole-object CRC32C
 * against the one combined from the source's chunk checksums, where the store reports one (GCS).
 * Anything wrong aborts the upload, or deletes an object that completed but does not match: no
 * orphaned upload, no partial or wrong object. An object of one chunk was already written by its
 * writer in one atomic, checksummed request.
 */
final class StoreCommit implements Closeable {
  /** Completes tried per object: the first, and again after a lost answer or a transient failure. */
  static final int COMPLETE_ATTEMPTS = 3;

  private final TransferSpec spec;
  private final ObjectStore store;

  StoreCommit(TransferSpec spec) throws IOException {
    this.spec = spec;
    this.store = ObjectStores.open(spec.destination().store());
  }

  /** Commits the object; returns "" when it is in place and verified, else why it is not there. */
  String commit(ChunkResult last, ObjectAssembly assembly, int crc) {
    String key = spec.destinationKey(last.key());
    if (assembly.uploadId.isEmpty()) {
      return assembly.error; // one chunk: written (or not) by the writer
    }
    MultipartUpload upload = new MultipartUpload(key, assembly.uploadId, assembly.uploadStartedMillis);
    if (!assembly.error.isEmpty()) {
      return abort(upload, assembly.error);
    }
    List<PartReceipt> parts = new ArrayList<>(assembly.chunkCount);
    for (int i = 0; i < assembly.chunkCount; i++) {
      parts.add(new PartReceipt(i + 1, assembly.lengths[i], assembly.crcs[i], assembly.tokens[i]));
    }
    ObjectInfo info = null;
    for (int attempt = 1; info == null; attempt++) {
      try {
        info = store.multipart().complete(upload, parts, last.objectMtime());
      } catch (IOException | RuntimeException e) {
        // The SDK retried the request itself; what is left is an answer that never came (the
        // complete may have happened) or a failure that outlived the SDK's retries. Complete is
        // idempotent: asking again either finishes the upload or finds our object committed.
        boolean retryable = !(e instanceof StoreException se) || se.isRetryable();
        if (!retryable || attempt >= COMPLETE_ATTEMPTS) {
          return abort(upload, "cannot commit " + store.uri(key) + ": " + e.getMessage());
        }
        sleep(attempt);
      }
    }
    String mismatch = "";
    if (info.size() != last.objectSize()) {
      mismatch = "committed " + info.size() + " bytes, expected " + last.objectSize();
    } else if (!info.crc32c().isEmpty() && Crc32c.fromBase64(info.crc32c()) != crc) {
      mismatch = String.format("the store's CRC32C of the object is %08x, the source's %08x",
          Crc32c.fromBase64(info.crc32c()), crc);
    }
    if (mismatch.isEmpty()) {
      return "";
    }
    try {
      store.delete(key);
      return store.uri(key) + ": " + mismatch + "; the object was deleted";
    } catch (IOException | RuntimeException e) {
      return store.uri(key) + ": " + mismatch + "; deleting it failed too: " + e.getMessage();
    }
  }

  private static void sleep(int attempt) {
    try {
      Thread.sleep(200L << attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String abort(MultipartUpload upload, String error) {
    try {
      store.multipart().abort(upload);
      return error;
    } catch (IOException | RuntimeException e) {
      return error + " (and aborting upload " + upload.uploadId() + " failed: " + e.getMessage() + ")";
    }
  }

  /** The store's retry counts so far. */
  io.skyplane.store.RetryCounts retryCounts() {
    return store instanceof io.skyplane.store.RetryStats stats ? stats.retryCounts() : io.skyplane.store.RetryCounts.ZERO;
  }

  @Override
  public void close() throws IOException {
    store.close();
  }
}
