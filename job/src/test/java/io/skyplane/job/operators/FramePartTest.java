package io.skyplane.job.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.store.Crc32c;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FramePartTest {
  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void aReaderGetsTheFramesAsTheyArriveAndTheCombinedChecksum() throws Exception {
    byte[] all = random(3000, 1);
    AtomicLong held = new AtomicLong();
    FramePart part = new FramePart(all.length, true, held::addAndGet);
    CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
      try (InputStream in = part.open()) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    for (int at = 0; at < all.length; at += 1000) {
      Thread.sleep(20);
      assertThat(read).isNotDone(); // still waiting for the rest
      byte[] frame = Arrays.copyOfRange(all, at, at + 1000);
      part.append(frame, Crc32c.of(frame, 0, frame.length));
    }
    part.finish();

    assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(all);
    assertThat(part.crc32c()).isEqualTo(Crc32c.of(all, 0, all.length));
    try (InputStream again = part.open()) { // a retry reads it all again
      assertThat(again.readAllBytes()).isEqualTo(all);
    }
    assertThat(held).hasValue(3000);
    part.release();
    assertThat(held).hasValue(0);
    assertThatThrownBy(part::open).isInstanceOf(IOException.class);
  }

  @Test
  void aPartReadOnceDropsItsFramesAsTheyAreRead() throws Exception {
    byte[] all = random(2000, 2);
    AtomicLong held = new AtomicLong();
    FramePart part = new FramePart(all.length, false, held::addAndGet);
    byte[] first = Arrays.copyOfRange(all, 0, 1000);
    byte[] second = Arrays.copyOfRange(all, 1000, 2000);
    part.append(first, Crc32c.of(first, 0, 1000));
    part.append(second, Crc32c.of(second, 0, 1000));
    part.finish();
    InputStream in = part.open();
    assertThat(in.readNBytes(1000)).isEqualTo(first);
    assertThat(held).hasValue(1000);
    assertThat(in.readAllBytes()).isEqualTo(second);
    assertThat(held).hasValue(0);
    assertThatThrownBy(part::open).hasMessageContaining("read once");
  }

  @Test
  void anAbandonedPartFailsItsReadersAndItsChecksum() throws Exception {
    FramePart part = new FramePart(100, true, b -> {});
    CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
      try (InputStream in = part.open()) {
        return in.readAllBytes().length;
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    byte[] half = random(50, 3);
    part.append(half, Crc32c.of(half, 0, 50));
    part.abandon("checksum mismatch at offset 50");

    assertThatThrownBy(() -> read.get(5, TimeUnit.SECONDS)).hasMessageContaining("checksum mismatch at offset 50");
    assertThatThrownBy(part::crc32c).hasMessageContaining("checksum mismatch");
    part.append(half, Crc32c.of(half, 0, 50)); // later frames are dropped
    assertThat(part.received()).isEqualTo(50);
  }

  @Test
  void aPartMustHoldAllItsBytesToFinishAndNoMore() {
    FramePart part = new FramePart(10, true, b -> {});
    part.append(new byte[6], Crc32c.of(new byte[6], 0, 6));
    assertThatThrownBy(part::finish).hasMessageContaining("6 of 10");
    assertThatThrownBy(() -> part.append(new byte[5], 0)).hasMessageContaining("overflows");
  }

  @Test
  void anEmptyPartIsCompleteWithNoBytes() throws IOException {
    FramePart part = new FramePart(0, true, b -> {});
    part.append(new byte[0], 0);
    part.finish();
    assertThat(part.open().readAllBytes()).isEmpty();
    assertThat(part.crc32c()).isZero();
  }
}
