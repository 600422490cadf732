package io.skyplane.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.job.codec.Compression;
import io.skyplane.job.transfer.Location;
import io.skyplane.job.transfer.TransferSpec;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.junit.jupiter.api.Test;

class ChunkSplitsTest {
  private static final long CHUNK = 1000;
  private final TransferSpec spec =
      new TransferSpec("0123456789ab", Location.local(Path.of("/src"), false, "src"),
          Location.local(Path.of("/dst"), false, "dst"), false, CHUNK, 100, Compression.NONE, 2, "");

  private List<ChunkSplit> split(long size) {
    return ChunkSplits.of(spec, List.of(new SourceObject("a", Path.of("/src/a"), size, 5)));
  }

  @Test
  void emptyObjectIsOneEmptyChunk() {
    assertThat(split(0)).singleElement().satisfies(s -> {
      assertThat(s.offset()).isZero();
      assertThat(s.length()).isZero();
      assertThat(s.fileSize()).isZero();
    });
  }

  @Test
  void exactlyOneChunk() {
    assertThat(split(CHUNK)).singleElement().satisfies(s -> assertThat(s.length()).isEqualTo(CHUNK));
  }

  @Test
  void oneByteOverAChunk() {
    List<ChunkSplit> splits = split(CHUNK + 1);
    assertThat(splits).extracting(FileSourceSplit::offset).containsExactly(0L, CHUNK);
    assertThat(splits).extracting(FileSourceSplit::length).containsExactly(CHUNK, 1L);
  }

  @Test
  void chunksCoverTheObjectExactlyAndCarryItsIdentity() {
    List<ChunkSplit> splits = split(10 * CHUNK - 7);
    assertThat(splits).hasSize(10);
    long next = 0;
    for (FileSourceSplit s : splits) {
      assertThat(s.offset()).isEqualTo(next);
      assertThat(s.fileSize()).isEqualTo(10 * CHUNK - 7);
      assertThat(s.fileModificationTime()).isEqualTo(5);
      next += s.length();
    }
    assertThat(next).isEqualTo(10 * CHUNK - 7);
    assertThat(splits).extracting(FileSourceSplit::splitId).doesNotHaveDuplicates();
    assertThat(spec.chunkCount(10 * CHUNK - 7)).isEqualTo(10);
  }
}
