package io.skyplane.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.job.codec.Compression;
import io.skyplane.store.Crc32c;
import io.skyplane.job.model.Frame;
import io.skyplane.job.transfer.Location;
import io.skyplane.job.transfer.TransferSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkSplitReaderTest {
  @TempDir Path dir;

  private TransferSpec spec(long chunk, int frame) {
    return new TransferSpec("0123456789ab", Location.local(dir, false, "src"), Location.local(Path.of("/dst"), false, "dst"), false, chunk, frame, Compression.NONE, 1, "");
  }

  private static List<Frame> drain(ChunkSplitReader reader, List<String> finished) throws IOException {
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      RecordsWithSplitIds<Frame> batch = reader.fetch();
      String split;
      boolean any = false;
      while ((split = batch.nextSplit()) != null) {
        Frame f;
        while ((f = batch.nextRecordFromSplit()) != null) {
          frames.add(f);
          any = true;
        }
      }
      finished.addAll(batch.finishedSplits());
      if (!any && batch.finishedSplits().isEmpty()) {
        return frames;
      }
    }
    throw new AssertionError("reader never ran dry");
  }

  @Test
  void readsChunksAsFramesWithChecksumsAcrossManySplitsPerBatch() throws IOException {
    byte[] data = new byte[10_000];
    new Random(1).nextBytes(data);
    Files.write(dir.resolve("a"), data);
    Files.write(dir.resolve("empty"), new byte[0]);
    TransferSpec spec = spec(4096, 1000);
    List<FileSourceSplit> splits = new ArrayList<>(ChunkSplits.of(spec, LocalListing.list(spec)));
    ChunkSplitReader reader = new ChunkSplitReader(spec);
    reader.handleSplitsChanges(new SplitsAddition<>(splits));

    List<String> finished = new ArrayList<>();
    List<Frame> frames = drain(reader, finished);

    assertThat(finished).containsExactlyInAnyOrderElementsOf(splits.stream().map(FileSourceSplit::splitId).toList());
    List<Frame> ofA = frames.stream().filter(f -> f.key().equals("a")).toList();
    assertThat(ofA).hasSize(12); // chunks of 4096, 4096, 1808 bytes: 5 + 5 + 2 frames of up to 1000
    assertThat(ofA).filteredOn(Frame::lastInChunk).extracting(Frame::chunkIndex).containsExactly(0, 1, 2);
    for (Frame f : ofA) {
      assertThat(f.chunkCount()).isEqualTo(3);
      assertThat(f.crc32c()).isEqualTo(Crc32c.of(data, (int) f.frameOffset(), f.rawLength()));
    }
    assertThat(ofA.stream().mapToInt(Frame::rawLength).sum()).isEqualTo(data.length);
    assertThat(frames).filteredOn(f -> f.key().equals("empty")).singleElement()
        .satisfies(f -> {
          assertThat(f.rawLength()).isZero();
          assertThat(f.lastInChunk()).isTrue();
        });
  }

  @Test
  void aSourceChangedAfterListingFailsOnlyItsObject() throws IOException {
    Files.write(dir.resolve("a"), new byte[100]);
    Files.write(dir.resolve("b"), new byte[100]);
    TransferSpec spec = spec(4096, 1000);
    List<FileSourceSplit> splits = new ArrayList<>(ChunkSplits.of(spec, LocalListing.list(spec)));
    Files.write(dir.resolve("a"), new byte[150]);
    ChunkSplitReader reader = new ChunkSplitReader(spec);
    reader.handleSplitsChanges(new SplitsAddition<>(splits));

    List<String> finished = new ArrayList<>();
    List<Frame> frames = drain(reader, finished);

    assertThat(finished).hasSize(2);
    assertThat(frames).filteredOn(f -> f.key().equals("a")).singleElement().satisfies(f -> {
      assertThat(f.failed()).isTrue();
      assertThat(f.lastInChunk()).isTrue();
      assertThat(f.failure()).contains("source changed during the transfer");
    });
    assertThat(frames).filteredOn(f -> f.key().equals("b")).singleElement()
        .satisfies(f -> assertThat(f.failed()).isFalse());
  }

  @Test
  void aFileThatGrowsWhileItsChunkIsReadFailsThatChunk() throws IOException {
    Files.write(dir.resolve("a"), new byte[600]);
    TransferSpec spec = spec(4096, 1); // 600 frames: more than one fetch
    List<FileSourceSplit> splits = new ArrayList<>(ChunkSplits.of(spec, LocalListing.list(spec)));
    ChunkSplitReader reader = new ChunkSplitReader(spec);
    reader.handleSplitsChanges(new SplitsAddition<>(splits));
    List<Frame> frames = new ArrayList<>();
    RecordsWithSplitIds<Frame> first = reader.fetch();
    while (first.nextSplit() != null) {
      for (Frame f = first.nextRecordFromSplit(); f != null; f = first.nextRecordFromSplit()) {
        frames.add(f);
      }
    }
    assertThat(frames).hasSize(ChunkSplitReader.BATCH_FRAMES).noneMatch(Frame::failed);
    Files.write(dir.resolve("a"), new byte[700]);

    frames.addAll(drain(reader, new ArrayList<>()));

    Frame last = frames.get(frames.size() - 1);
    assertThat(last.failed()).isTrue();
    assertThat(last.lastInChunk()).isTrue();
    assertThat(last.failure()).contains("source changed during the transfer");
    assertThat(frames.subList(0, frames.size() - 1)).noneMatch(Frame::lastInChunk);
  }

  @Test
  void aSplitTheEnumeratorCouldNotPrepareIsSentAsAFailureWithoutReading() throws IOException {
    TransferSpec spec = spec(4096, 1000);
    ChunkSplit split = new ChunkSplit("s1", new org.apache.flink.core.fs.Path("/nowhere/x"), 0, 10, 0, 10, null, "x",
        "", "", 0, 0, "cannot start the multipart upload of s3://b/x: access denied");
    ChunkSplitReader reader = new ChunkSplitReader(spec);
    reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));

    List<String> finished = new ArrayList<>();
    List<Frame> frames = drain(reader, finished);

    assertThat(finished).containsExactly("s1");
    assertThat(frames).singleElement().satisfies(frame -> {
      assertThat(frame.failed()).isTrue();
      assertThat(frame.failure()).contains("access denied");
    });
  }
}
