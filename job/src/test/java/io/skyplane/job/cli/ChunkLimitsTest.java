package io.skyplane.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.job.source.SourceObject;
import io.skyplane.job.transfer.Location;
import io.skyplane.job.transfer.TransferSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ChunkLimitsTest {
  private static final long MIB = 1L << 20;
  private static final ChunkLimits S3_LIKE = new ChunkLimits("s3://b/p/", 5 * MIB, 1L << 30, 10_000);

  @TempDir Path tmp;

  private static SourceObject object(String key, long size) {
    return new SourceObject(key, null, size, 0, "v", "");
  }

  @Test
  void chunkSizesAreCheckedAgainstTheDestinationsBounds() {
    S3_LIKE.checkChunkSize(5 * MIB, "5MiB");
    S3_LIKE.checkChunkSize(1L << 30, "1GiB");
    assertThatThrownBy(() -> S3_LIKE.checkChunkSize(5 * MIB - 1, "5242879"))
        .hasMessage("--chunk-size must be between 5MiB and 1GiB for s3://b/p/, got '5242879'");
    assertThatThrownBy(() -> ChunkLimits.ANY.checkChunkSize((1L << 30) + 1, "1073741825"))
        .hasMessage("--chunk-size must be between 64KiB and 1GiB, got '1073741825'");
  }

  @Test
  void theLargestObjectMayHaveAtMostTheMostChunksAndTheMessageSuggestsASize() {
    S3_LIKE.checkObjects(5 * MIB, List.of(object("exact", 10_000 * 5 * MIB), object("empty", 0)));
    assertThatThrownBy(() -> S3_LIKE.checkObjects(5 * MIB, List.of(object("small", 1), object("big", 10_000 * 5 * MIB + 1))))
        .hasMessage("object 'big' (48.8 GiB) needs 10001 chunks of --chunk-size 5MiB, more than the 10000 of"
            + " s3://b/p/: use --chunk-size 6MiB or more");
    assertThatThrownBy(() -> S3_LIKE.checkObjects(5 * MIB, List.of(object("huge", 20L << 40))))
        .hasMessage("object 'huge' (20.0 TiB) is too large for s3://b/p/: even chunks of 1GiB make more than 10000 parts");
    // sizes near Long.MAX_VALUE count without overflow
    assertThatThrownBy(() -> ChunkLimits.ANY.checkObjects(64 << 10, List.of(object("max", Long.MAX_VALUE))))
        .hasMessageContaining("is too large");
    assertThat(ChunkLimits.chunks(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aFrameNeverExceedsItsChunk() {
    CopyCommand small = new CopyCommand();
    new CommandLine(small).parseArgs("a", "b", "--chunk-size", "64KiB");
    TransferSpec clamped = small.options.spec(Location.local(tmp, false, "a"), Location.local(tmp.resolve("d"), false, "b"), false);
    assertThat(clamped.chunkSize()).isEqualTo(64 << 10);
    assertThat(clamped.frameSize()).isEqualTo(64 << 10);

    CopyCommand defaults = new CopyCommand();
    new CommandLine(defaults).parseArgs("a", "b");
    TransferSpec spec = defaults.options.spec(Location.local(tmp, false, "a"), Location.local(tmp.resolve("d"), false, "b"), false);
    assertThat(spec.chunkSize()).isEqualTo(64 * MIB);
    assertThat(spec.frameSize()).isEqualTo(256 << 10);
  }
}
