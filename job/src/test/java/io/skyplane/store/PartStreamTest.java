package io.skyplane.store;

import static io.skyplane.store.TestData.bytes;
import static io.skyplane.store.TestData.crc32c;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class PartStreamTest {
  private static final String URI = "s3://b/k";

  private static PartData data(byte[] bytes, int claimedCrc, InputStream stream) {
    return new PartData() {
      @Override
      public long length() {
        return bytes.length;
      }

      @Override
      public InputStream open() {
        return stream;
      }

      @Override
      public int crc32c() {
        return claimedCrc;
      }
    };
  }

  @Test
  void yieldsThePartAndVerifiesItsChecksum() throws IOException {
    byte[] bytes = bytes(1, 100_000);
    PartStream stream = new PartStream(PartData.of(bytes, 0, bytes.length, crc32c(bytes)), URI);
    assertThat(stream.readAllBytes()).isEqualTo(bytes);
    assertThat(stream.sent()).isEqualTo(bytes.length);
    stream.verify("upload part 1 of", crc32c(bytes));
    stream.verify("upload part 1 of", null);
  }

  @Test
  void aWrongChecksumOrAChecksumTheStoreReportsDifferentlyIsFatal() throws IOException {
    byte[] bytes = bytes(2, 1000);
    PartStream wrong = new PartStream(PartData.of(bytes, 0, bytes.length, crc32c(bytes) ^ 1), URI);
    wrong.readAllBytes();
    assertThatThrownBy(() -> wrong.verify("upload", null)).isInstanceOfSatisfying(StoreException.class,
        e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL));
    PartStream right = new PartStream(PartData.of(bytes, 0, bytes.length, crc32c(bytes)), URI);
    right.readAllBytes();
    assertThatThrownBy(() -> right.verify("upload", crc32c(bytes) + 1)).isInstanceOfSatisfying(
        StoreException.class, e -> assertThat(e.getMessage()).contains("the store received"));
  }

  @Test
  void aPartNotReadWholeIsFatal() throws IOException {
    byte[] bytes = bytes(3, 1000);
    PartStream stream = new PartStream(PartData.of(bytes, 0, bytes.length, crc32c(bytes)), URI);
    stream.readNBytes(10);
    assertThatThrownBy(() -> stream.verify("upload", null)).isInstanceOfSatisfying(StoreException.class,
        e -> assertThat(e.getMessage()).contains("only 10 of 1000 bytes"));
  }

  @Test
  void aFailureOfTheDataHasNoIoCauseAndIsRecorded() {
    byte[] bytes = bytes(4, 1000);
    PartStream stream = new PartStream(data(bytes, 0, new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("frame lost");
      }
    }), URI);
    assertThatThrownBy(() -> stream.read(new byte[10], 0, 10)).isInstanceOfSatisfying(
        PartStream.SourceFailed.class, e -> {
          assertThat(e.getCause()).isNull();
          assertThat(e.getFailure()).hasMessage("frame lost");
        });
    assertThat(stream.failure()).isNotNull();
    RuntimeException wrapped = new RuntimeException("SDK", new IllegalStateException(stream.failure()));
    assertThat(PartStream.isSourceFailure(wrapped)).isTrue();
    assertThat(PartStream.failure("upload", URI, wrapped)).satisfies(e -> {
      assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL);
      assertThat(e.getCause()).hasMessage("frame lost");
      assertThat(e.getMessage()).contains(URI);
    });
    assertThat(PartStream.failure("upload", URI, new IOException("reset"))).isNull();
  }

  @Test
  void dataEndingEarlyIsAFailureOfTheData() {
    byte[] bytes = bytes(5, 1000);
    PartStream stream = new PartStream(data(bytes, crc32c(bytes), new ByteArrayInputStream(bytes, 0, 400)), URI);
    assertThatThrownBy(stream::readAllBytes).isInstanceOfSatisfying(PartStream.SourceFailed.class,
        e -> assertThat(e.getMessage()).contains("ended after 400 of 1000"));
  }
}
