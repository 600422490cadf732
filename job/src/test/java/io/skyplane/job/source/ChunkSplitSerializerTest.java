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
        new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 3), "dir/ä b+%=.bin", "\"etag-1\"", "upload-9", 42);
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
    assertThat(roundTrip(split.updateWithCheckpointedPosition(null)).getReaderPosition()).isEmpty();
    assertThat(roundTrip(split.withUpload("", 0)).uploadId()).isEmpty();
  }

  @Test
  void refusesPlainFileSplitsAndUnknownVersions() {
    assertThatThrownBy(() -> ChunkSplitSerializer.INSTANCE.serialize(
        new FileSourceSplit("1", new Path("/a"), 0, 1, 0, 1))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> ChunkSplitSerializer.INSTANCE.deserialize(99, new byte[0]))
        .isInstanceOf(IOException.class).hasMessageContaining("99");
  }
}
