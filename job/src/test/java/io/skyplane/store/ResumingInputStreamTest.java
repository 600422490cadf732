package io.skyplane.store;

import static io.skyplane.store.TestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ResumingInputStream} over an "object" in memory whose streams are made to break: after a
 * number of bytes they throw (a reset, a read timeout) or end early.
 */
class ResumingInputStreamTest {
  private static final String URI = "s3://b/k";
  private final byte[] object = bytes(7, 100_000);
  private final RetryCounter counter = new RetryCounter();

  /** How the next opened stream breaks: after {@code bytes}, by {@code failure} (null: ends early). */
  private record Fault(int bytes, IOException failure) {}

  /** Opens streams over {@link #object}, each breaking as the next queued fault says. */
  private final class Opener implements ResumingInputStream.Opener {
    final Deque<Fault> faults = new ArrayDeque<>();
    final List<long[]> opened = new ArrayList<>();
    final List<InputStream> discarded = new ArrayList<>();
    IOException openFailure;

    @Override
    public InputStream open(long offset, long length) throws IOException {
      opened.add(new long[] {offset, length});
      if (openFailure != null) {
        throw openFailure;
      }
      InputStream in = new ByteArrayInputStream(object, (int) offset, (int) length);
      Fault fault = faults.poll();
      return fault == null ? in : new Breaking(in, fault);
    }

    @Override
    public void discard(InputStream broken) {
      discarded.add(broken);
    }
  }

  private static final class Breaking extends FilterInputStream {
    private final Fault fault;
    private int left;

    Breaking(InputStream in, Fault fault) {
      super(in);
      this.fault = fault;
      this.left = fault.bytes();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        if (fault.failure() != null) {
          throw fault.failure();
        }
        return -1;
      }
      int n = super.read(b, off, Math.min(len, left));
      left -= Math.max(n, 0);
      return n;
    }
  }

  private InputStream open(Opener opener, long offset, long length, int maxResumes) throws IOException {
    return ResumingInputStream.open(URI, offset, length, opener, ResumingInputStreamTest::translate,
        maxResumes, counter);
  }

  /** Like the providers' translators: I/O failures are retryable, anything else is not. */
  private static StoreException translate(String action, String uri, Throwable failure) {
    if (failure instanceof StoreException store) {
      return store;
    }
    StoreException.Kind kind = failure instanceof IOException ? StoreException.Kind.RETRYABLE : StoreException.Kind.FATAL;
    return new StoreException(kind, "cannot " + action + " " + uri + ": " + failure.getMessage(), failure);
  }

  @Test
  void aStreamWithoutFaultsIsReadOnce() throws IOException {
    Opener opener = new Opener();
    try (InputStream in = open(opener, 10, 5000, 3)) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(object, 10, 5010));
    }
    assertThat(opener.opened).hasSize(1);
    assertThat(counter.retryCounts()).isEqualTo(RetryCounts.ZERO);
  }

  @Test
  void resetsTimeoutsAndPrematureEndsResumeAtTheByteReached() throws IOException {
    Opener opener = new Opener();
    opener.faults.add(new Fault(1000, new SocketException("Connection reset")));
    opener.faults.add(new Fault(2500, new SocketTimeoutException("Read timed out")));
    opener.faults.add(new Fault(4000, null)); // ends early
    try (InputStream in = open(opener, 500, 90_000, 3)) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(object, 500, 90_500));
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThat(opener.opened).extracting(r -> r[0] + "+" + r[1])
        .containsExactly("500+90000", "1500+89000", "4000+86500", "8000+82500");
    assertThat(opener.discarded).hasSize(3);
    assertThat(counter.retryCounts().resumedReads()).isEqualTo(3);
  }

  @Test
  void breaksInARowWithoutProgressAreBounded() throws IOException {
    Opener opener = new Opener();
    opener.faults.add(new Fault(100, new SocketException("reset")));
    for (int i = 0; i < 3; i++) {
      opener.faults.add(new Fault(0, new SocketException("reset " + i)));
    }
    InputStream in = open(opener, 0, 10_000, 3);
    byte[] buffer = new byte[10_000];
    assertThat(in.read(buffer)).isEqualTo(100);
    assertThatThrownBy(() -> in.readNBytes(9_900)).isInstanceOfSatisfying(StoreException.class, e -> {
      assertThat(e.kind()).isEqualTo(StoreException.Kind.RETRYABLE);
      assertThat(e.getMessage()).contains(URI).contains("reset 2").contains("at byte 100")
          .contains("re-opened 3 times in a row");
    });
    assertThat(opener.opened).hasSize(4); // the first open and three resumes, all at byte 100
    assertThat(counter.retryCounts().resumedReads()).isEqualTo(3);
  }

  @Test
  void progressBetweenBreaksRenewsTheBudget() throws IOException {
    Opener opener = new Opener();
    for (int i = 0; i < 20; i++) {
      opener.faults.add(new Fault(1000, new SocketException("reset " + i)));
    }
    try (InputStream in = open(opener, 0, 30_000, 1)) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOf(object, 30_000));
    }
    assertThat(counter.retryCounts().resumedReads()).isEqualTo(20);
  }

  @Test
  void aNonRetryableFailureOfTheStreamIsPassedOn() throws IOException {
    InputStream failing = ResumingInputStream.open(URI, 0, 100, new ResumingInputStream.Opener() {
      @Override
      public InputStream open(long offset, long length) {
        return new InputStream() {
          @Override
          public int read() {
            throw new IllegalStateException("checksum mismatch");
          }
        };
      }
    }, ResumingInputStreamTest::translate, 3, counter);
    assertThatThrownBy(failing::read).isInstanceOfSatisfying(StoreException.class,
        e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL));
    assertThat(counter.retryCounts().resumedReads()).isZero();
  }

  @Test
  void anObjectThatChangedIsNeverResumed() throws IOException {
    Opener opener = new Opener();
    opener.faults.add(new Fault(500, new SocketException("reset")));
    InputStream in = open(opener, 0, 2000, 5);
    assertThat(in.readNBytes(500)).isEqualTo(Arrays.copyOf(object, 500));
    opener.openFailure = VersionedRead.changed(URI, "\"v1\"", "\"v2\"");
    assertThatThrownBy(in::readAllBytes).isInstanceOfSatisfying(StoreException.class, e -> {
      assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL);
      assertThat(e.getMessage()).contains("changed since it was listed");
    });
    assertThat(opener.opened).hasSize(2);
  }

  @Test
  void theFirstOpenFailsTheCallItself() {
    Opener opener = new Opener();
    opener.openFailure = new StoreException(StoreException.Kind.NOT_FOUND, "cannot read " + URI + ": not found");
    assertThatThrownBy(() -> open(opener, 0, 10, 3)).isInstanceOfSatisfying(StoreException.class,
        e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
  }

  @Test
  void zeroResumesFailsAtTheFirstBreak() throws IOException {
    Opener opener = new Opener();
    opener.faults.add(new Fault(10, null));
    InputStream in = open(opener, 0, 100, 0);
    assertThatThrownBy(in::readAllBytes).isInstanceOfSatisfying(StoreException.class,
        e -> assertThat(e.getMessage()).contains("ended 90 bytes early"));
    assertThat(opener.opened).hasSize(1);
  }

  @Test
  void closingBeforeTheEndDiscardsTheStreamAndReadingAfterCloseFails() throws IOException {
    Opener opener = new Opener();
    InputStream in = open(opener, 0, 1000, 3);
    in.readNBytes(10);
    in.close();
    assertThat(opener.discarded).hasSize(1);
    assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("closed");
    in.close(); // twice is fine
  }
}
