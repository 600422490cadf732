package io.skyplane.store;

import static io.skyplane.store.TestData.crc32c;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Uploads the parts of a deterministic object the way workers do; for store tests. */
public final class Uploads {
  private Uploads() {}

  /**
   * Uploads object {@code seed} of {@code size} bytes in parts of {@code partSize}, in a shuffled
   * order, from {@code threads} threads, each with one reused buffer; returns the receipts.
   */
  public static List<PartReceipt> uploadAll(MultipartWriter writer, MultipartUpload upload, long seed,
      long size, long partSize, int threads, Random random) throws Exception {
    int parts = (int) ((size + partSize - 1) / partSize);
    List<Integer> order = new ArrayList<>();
    for (int n = 1; n <= parts; n++) {
      order.add(n);
    }
    Collections.shuffle(order, random);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[(int) partSize]);
    try {
      List<Future<PartReceipt>> futures = new ArrayList<>();
      for (int n : order) {
        futures.add(pool.submit(() -> {
          long offset = (n - 1) * partSize;
          int length = (int) Math.min(partSize, size - offset);
          byte[] buffer = buffers.get();
          TestData.fill(seed, offset, buffer, length);
          return writer.upload(upload, n, offset, buffer, 0, length, crc32c(buffer, 0, length));
        }));
      }
      List<PartReceipt> receipts = new ArrayList<>();
      for (Future<PartReceipt> f : futures) {
        receipts.add(f.get());
      }
      return receipts;
    } finally {
      // A caller aborts only after every part upload has ended (an UploadPart racing an abort could
      // otherwise land after it).
      pool.shutdownNow();
      pool.awaitTermination(2, TimeUnit.MINUTES);
    }
  }
}
