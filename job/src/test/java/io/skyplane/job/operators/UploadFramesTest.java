package io.skyplane.job.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.junit.jupiter.api.Test;

class UploadFramesTest {
  private static final long MIB = 1L << 20;

  @Test
  void theBytesAWriterHoldsShrinkWithTheHeapButNeverBelowAChunk() {
    assertThat(UploadFrames.budget(8192 * MIB, 2, 64 * MIB)).isEqualTo(128 * MIB); // capped
    assertThat(UploadFrames.budget(512 * MIB, 2, 64 * MIB)).isEqualTo(64 * MIB); // a quarter of 512 MiB over 2
    assertThat(UploadFrames.budget(512 * MIB, 2, 16 * MIB)).isEqualTo(64 * MIB);
    assertThat(UploadFrames.budget(256 * MIB, 8, 64 * MIB)).isEqualTo(64 * MIB); // at least a chunk
    assertThat(UploadFrames.budget(512 * MIB, 0, 1 * MIB)).isEqualTo(128 * MIB);
  }

  @Test
  void aHeapBelowAChunkPerWriterFailsAtOnceSayingWhatToChange() {
    assertThat(UploadFrames.heapNeeded(2, 64 * MIB)).isEqualTo(256 * MIB);
    UploadFrames.checkHeap(256 * MIB, 2, 64 * MIB); // exactly enough

    assertThatThrownBy(() -> UploadFrames.checkHeap(255 * MIB, 2, 64 * MIB))
        .isInstanceOf(SuppressRestartsException.class)
        .rootCause()
        .hasMessageContaining("heap of 255 MiB is too small for 2 writer(s) of 64 MiB chunks")
        .hasMessageContaining("at least 256 MiB")
        .hasMessageContaining("--chunk-size");
  }
}
