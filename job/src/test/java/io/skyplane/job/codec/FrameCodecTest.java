package io.skyplane.job.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.job.model.Codec;
import io.skyplane.job.model.Frame;
import io.skyplane.store.Crc32c;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static Frame raw(byte[] bytes) {
    return new Frame("k", bytes.length, 0, 0, 1, 0, bytes.length, 0, bytes.length, true,
        Codec.NONE, bytes, Crc32c.of(bytes, 0, bytes.length), 0, "", 0, 0);
  }

  @Test
  void compressibleFrameRoundTrips() throws IOException {
    byte[] text = "the quick brown fox jumps over the lazy dog\n".repeat(10_000)
        .getBytes(StandardCharsets.UTF_8);
    try (FrameCodec codec = new FrameCodec(Compression.parse("zstd:3"))) {
      Frame encoded = codec.encode(raw(text));
      assertThat(encoded.codec()).isEqualTo(Codec.ZSTD);
      assertThat(encoded.payload().length).isLessThan(text.length / 10);
      assertThat(codec.decode(encoded)).isEqualTo(text);
    }
  }

  @Test
  void incompressibleFrameIsSentRaw() throws IOException {
    byte[] noise = new byte[100_000];
    new Random(1).nextBytes(noise);
    try (FrameCodec codec = new FrameCodec(Compression.DEFAULT)) {
      Frame encoded = codec.encode(raw(noise));
      assertThat(encoded.codec()).isEqualTo(Codec.NONE);
      assertThat(codec.decode(encoded)).isEqualTo(noise);
    }
  }

  @Test
  void largeIncompressibleFrameIsDetectedBySample() throws IOException {
    byte[] noise = new byte[4 << 20];
    new Random(2).nextBytes(noise);
    byte[] text = "some log line 12345\n".repeat(1 << 18).getBytes(StandardCharsets.UTF_8);
    try (FrameCodec codec = new FrameCodec(Compression.DEFAULT)) {
      assertThat(codec.encode(raw(noise)).codec()).isEqualTo(Codec.NONE);
      Frame encoded = codec.encode(raw(text));
      assertThat(encoded.codec()).isEqualTo(Codec.ZSTD);
      assertThat(codec.decode(encoded)).isEqualTo(text);
    }
  }

  @Test
  void noneAndEmptyFramesPassThrough() throws IOException {
    try (FrameCodec codec = new FrameCodec(Compression.NONE)) {
      byte[] bytes = "abc".repeat(1000).getBytes(StandardCharsets.UTF_8);
      assertThat(codec.encode(raw(bytes)).codec()).isEqualTo(Codec.NONE);
      assertThat(codec.decode(codec.encode(raw(new byte[0])))).isEmpty();
    }
  }

  @Test
  void damagedZstdPayloadIsRejected() {
    byte[] text = "abcdefgh".repeat(50_000).getBytes(StandardCharsets.UTF_8);
    try (FrameCodec codec = new FrameCodec(Compression.DEFAULT)) {
      Frame encoded = codec.encode(raw(text));
      byte[] payload = encoded.payload().clone();
      payload[payload.length / 2] ^= 0x5A;
      Frame damaged = encoded.withPayload(Codec.ZSTD, payload);
      // Either zstd notices, or the bytes differ (the writer's CRC check catches that case).
      try {
        byte[] decoded = codec.decode(damaged);
        assertThat(Crc32c.of(decoded, 0, decoded.length)).isNotEqualTo(encoded.crc32c());
      } catch (IOException expected) {
        assertThat(expected).hasMessageContaining("zstd");
      }
    }
  }

  @Test
  void truncatedRawPayloadIsRejected() {
    Frame frame = raw(new byte[10]).withPayload(Codec.NONE, new byte[9]);
    try (FrameCodec codec = new FrameCodec(Compression.NONE)) {
      assertThatThrownBy(() -> codec.decode(frame)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void parsesCompressionSettings() {
    assertThat(Compression.parse("none")).isEqualTo(Compression.NONE);
    assertThat(Compression.parse("zstd")).isEqualTo(Compression.DEFAULT);
    assertThat(Compression.parse("ZSTD:9").level()).isEqualTo(9);
    assertThat(Compression.parse("zstd-3").level()).isEqualTo(3);
    assertThatThrownBy(() -> Compression.parse("gzip")).hasMessageContaining("unknown compression 'gzip'");
    assertThatThrownBy(() -> Compression.parse("zstd:99")).hasMessageContaining("between");
    assertThatThrownBy(() -> Compression.parse("zstd:x")).hasMessageContaining("invalid zstd level");
  }
}
