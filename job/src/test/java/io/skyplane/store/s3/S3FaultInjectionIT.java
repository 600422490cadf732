package io.skyplane.store.s3;

import static io.skyplane.store.TestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.store.FaultyMultipartWriter;
import io.skyplane.store.FaultyMultipartWriter.CompleteFault;
import io.skyplane.store.MultipartUpload;
import io.skyplane.store.MultipartWriter;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.Uploads;
import io.skyplane.store.PartReceipt;
import io.skyplane.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Part uploads and completes fail (injected around the real S3 writer, or rejected by S3Proxy
 * itself); the caller aborts, and S3Proxy is left with no pending upload and nothing at the key.
 */
class S3FaultInjectionIT {
  @RegisterExtension static final S3Buckets BUCKETS = new S3Buckets();
  private static final long PART = S3Multipart.MIN_PART_SIZE;
  private static final long SIZE = 4 * PART + 1000;

  private ObjectStore store;

  @BeforeEach
  void open() throws Exception {
    store = BUCKETS.open(BUCKETS.create());
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  /**
   * What the job's committer does: upload every part, complete (retrying once when the failure is
   * retryable), and abort on any failure, attaching a failed abort as suppressed.
   */
  private static ObjectInfo write(MultipartWriter writer, String key,
      UnaryOperator<List<PartReceipt>> tamper) throws Exception {
    MultipartUpload upload = writer.create(key);
    try {
      List<PartReceipt> receipts = tamper.apply(
          Uploads.uploadAll(writer, upload, 31, SIZE, PART, 3, new Random(5)));
      try {
        return writer.complete(upload, receipts);
      } catch (StoreException e) {
        if (!e.isRetryable()) {
          throw e;
        }
        return writer.complete(upload, receipts);
      }
    } catch (Exception e) {
      try {
        writer.abort(upload);
      } catch (IOException abortFailure) {
        e.addSuppressed(abortFailure);
      }
      throw e;
    }
  }

  private void assertNothingLeft(String key) throws IOException {
    assertThat(store.multipart().pending("")).isEmpty();
    assertThat(store.stat(key)).isEmpty();
    try (ObjectListing listing = store.list("")) {
      assertThat(listing.hasNext()).isFalse();
    }
  }

  @Test
  void failedPartUploadIsAbortedCompletely() throws Exception {
    MultipartWriter writer = new FaultyMultipartWriter(store.multipart(), 3, CompleteFault.NONE, 0);
    assertThatThrownBy(() -> write(writer, "f/part", UnaryOperator.identity()))
        .rootCause().hasMessageStartingWith("injected failure: upload of part");
    assertNothingLeft("f/part");
  }

  @Test
  void completeThatKeepsFailingIsAbortedCompletely() throws Exception {
    MultipartWriter writer = new FaultyMultipartWriter(store.multipart(), 0, CompleteFault.BEFORE, 2);
    assertThatThrownBy(() -> write(writer, "f/complete", UnaryOperator.identity()))
        .hasMessage("injected failure: complete");
    assertNothingLeft("f/complete");
  }

  @Test
  void completeRejectedByTheStoreIsAbortedCompletely() throws Exception {
    // A receipt with a wrong ETag: S3 answers 400 InvalidPart, nothing to retry.
    UnaryOperator<List<PartReceipt>> wrongEtag = receipts -> {
      List<PartReceipt> tampered = new ArrayList<>(receipts);
      PartReceipt first = tampered.get(0);
      tampered.set(0, new PartReceipt(first.partNumber(), first.length(), first.crc32c(), "\"0000\""));
      return tampered;
    };
    assertThatThrownBy(() -> write(store.multipart(), "f/rejected", wrongEtag))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL);
          assertThat(e.getMessage()).contains("s3://").contains("/f/rejected");
        });
    assertNothingLeft("f/rejected");
  }

  @Test
  void completeWhoseAnswerWasLostIsRetriedIdempotently() throws Exception {
    MultipartWriter writer = new FaultyMultipartWriter(store.multipart(), 0, CompleteFault.AFTER_SUCCESS, 1);
    ObjectInfo info = write(writer, "f/lost", UnaryOperator.identity());
    assertThat(info.size()).isEqualTo(SIZE);
    assertThat(store.multipart().pending("")).isEmpty();
    try (InputStream in = store.read("f/lost", 0, SIZE)) {
      assertThat(in.readAllBytes()).isEqualTo(bytes(31, (int) SIZE));
    }
  }
}
