package io.skyplane.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;

class ChunkSplitSerializerTest {
  private static ChunkSplit roundTrip(ChunkSplit split) throws IOException {
    ChunkSplitSerializer serializer = ChunkSplitSerializer.INSTANCE;
    return (ChunkSplit) serializer.deserialize(serializer.getVersion(), serializer.serialize(split));
  }

  @Test
  void keepsEveryFieldIncludingPositionKeyVersionAndUpload() throws IOException {
    ChunkSplit split = new ChunkSplit("7", new Path("/"), 64, 32, 1234, 96,
        new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 3), "dir/ä b+%=.bin", "\"etag-1\"", "upload-9", 42, 3);
    ChunkSplit copy = roundTrip(split);
    assertThat(copy.splitId()).isEqualTo("7");
    assertThat(copy.offset()).isEqualTo(64);
    assertThat(copy.length()).isEqualTo(32);
    assertThat(copy.fileModificationTime()).isEqualTo(1234);
    assertThat(copy.fileSize()).isEqualTo(96);
    assertThat(copy.getReaderPosition()).contains(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 3));
    assertThat(copy.key()).isEqualTo("dir/ä b+%=.bin");
    assertThat(copy.version()).isEqualTo("\"etag-1\"");
    assertThat(copy.uploadId()).isEqualTo("upload-9");
    assertThat(copy.uploadStartedMillis()).isEqualTo(42);
    assertThat(copy.pathIndex()).isEqualTo(3);
    assertThat(roundTrip(split.onPath(1)).pathIndex()).isEqualTo(1);
    assertThat(roundTrip(split.updateWithCheckpointedPosition(null)).getReaderPosition()).isEmpty();
    assertThat(roundTrip(split.withUpload("", 0)).uploadId()).isEmpty();
  }

  @Test
  void readsVersionOneSplitsOnPathZero() throws IOException {
    ChunkSplit split = new ChunkSplit("7", new Path("/"), 0, 8, 1, 8, null, "k", "", "", 0, 0);
    byte[] v2 = ChunkSplitSerializer.INSTANCE.serialize(split);
    byte[] v1 = java.util.Arrays.copyOf(v2, v2.length - Integer.BYTES); // v1 had no path field
    ChunkSplit copy = (ChunkSplit) ChunkSplitSerializer.INSTANCE.deserialize(1, v1);
    assertThat(copy.key()).isEqualTo("k");
    assertThat(copy.pathIndex()).isZero();
  }

  @Test
  void refusesPlainFileSplitsAndUnknownVersions() {
    assertThatThrownBy(() -> ChunkSplitSerializer.INSTANCE.serialize(
        new FileSourceSplit("1", new Path("/a"), 0, 1, 0, 1))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> ChunkSplitSerializer.INSTANCE.deserialize(99, new byte[0]))
        .isInstanceOf(IOException.class).hasMessageContaining("99");
  }
}
