package io.skyplane.job.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.job.source.SourceObject;
import io.skyplane.store.Crc32c;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SyncPlannerTest {
  private static SourceObject o(String key, long size, long mtime) {
    return new SourceObject(key, Path.of("/x", key), size, mtime);
  }

  @Test
  void copiesMissingResizedAndModifiedAndKeepsTheRest() {
    List<SourceObject> source = List.of(o("new", 1, 1), o("grown", 10, 1), o("touched", 5, 2), o("same", 7, 3));
    List<SourceObject> destination = List.of(o("grown", 9, 1), o("touched", 5, 1), o("same", 7, 3), o("extra", 1, 1));

    SyncPlan plan = SyncPlanner.plan(source, destination, false);

    assertThat(plan.copies()).extracting(c -> c.object().key() + ":" + c.reason())
        .containsExactly("new:MISSING", "grown:SIZE", "touched:MODIFIED");
    assertThat(plan.unchanged()).isEqualTo(1);
    assertThat(plan.deletions()).isEmpty();
    assertThat(plan.bytesToCopy()).isEqualTo(16);
  }

  @Test
  void deletesOnlyWhenAsked() {
    List<SourceObject> source = List.of(o("a", 1, 1));
    List<SourceObject> destination = List.of(o("a", 1, 1), o("b", 1, 1), o("c/d", 1, 1));

    assertThat(SyncPlanner.plan(source, destination, true).deletions()).containsExactly("b", "c/d");
    assertThat(SyncPlanner.plan(source, destination, false).deletions()).isEmpty();
  }

  @Test
  void emptySidesAreFine() {
    assertThat(SyncPlanner.plan(List.of(), List.of(), true).copies()).isEmpty();
    assertThat(SyncPlanner.plan(List.of(o("a", 0, 0)), List.of(), true).copies()).hasSize(1);
  }

  @Test
  void storeTimesCompareAsWholeSeconds() {
    // copy made in the same second the (millisecond-timed) source was written: S3 reads it as older
    SyncPlan sameSecond = SyncPlanner.plan(List.of(o("a", 1, 10_700)), List.of(o("a", 1, 10_000)), false, true);
    // edit (truncated to 11 s by S3) made 1.1 s after a copy timed 10.2 s by GCS: must be copied
    SyncPlan nextSecond = SyncPlanner.plan(List.of(o("a", 1, 11_000)), List.of(o("a", 1, 10_200)), false, true);
    // local destinations keep the source's exact time: any difference is a change
    SyncPlan local = SyncPlanner.plan(List.of(o("a", 1, 10_700)), List.of(o("a", 1, 10_000)), false, false);

    assertThat(sameSecond.copies()).isEmpty();
    assertThat(nextSecond.copies()).extracting(c -> c.reason()).containsExactly(SyncPlan.Reason.MODIFIED);
    assertThat(local.copies()).hasSize(1);
  }

  private static SourceObject store(String key, long size, long mtime, int crc) {
    return new SourceObject(key, null, size, mtime, "v", Crc32c.toBase64(crc));
  }

  @Test
  void listedChecksumsDecideOverTimes() {
    List<SourceObject> source = List.of(store("same", 4, 1, 7), store("edited", 4, 1, 8));
    List<SourceObject> destination = List.of(store("same", 4, 9, 7), store("edited", 4, 9, 9));

    SyncPlan plan = SyncPlanner.plan(source, destination, false, true);

    assertThat(plan.copies()).extracting(SyncPlan.Copy::describe)
        .containsExactly("content differs (CRC32C 00000008 != 00000009)");
    assertThat(plan.unchanged()).isEqualTo(1);
  }

  @Test
  void withAContentComparisonSameSizeObjectsAreComparedByContentNeverByTime() throws IOException {
    Map<String, Integer> sourceContent = Map.of("same", 1, "edited", 2, "touched", 3);
    Map<String, Integer> destinationContent = Map.of("same", 1, "edited", 5, "touched", 3);
    List<String> read = new CopyOnWriteArrayList<>();
    ContentComparison content = new ContentComparison(
        o -> { read.add("src:" + o.key()); return sourceContent.get(o.key()); },
        o -> { read.add("dst:" + o.key()); return destinationContent.get(o.key()); }, 2);
    // "edited" kept its time (put back), "touched" has a new time but the same bytes
    List<SourceObject> source = List.of(o("same", 5, 1), o("edited", 5, 1), o("touched", 5, 7), o("new", 1, 1),
        o("grown", 2, 1), o("empty", 0, 1));
    List<SourceObject> destination = List.of(o("same", 5, 1), o("edited", 5, 1), o("touched", 5, 1), o("grown", 1, 1),
        o("empty", 0, 9));

    SyncPlan plain = SyncPlanner.plan(source, destination, false, false);
    SyncPlan checked = SyncPlanner.plan(source, destination, false, false, content);

    assertThat(plain.copies()).extracting(c -> c.object().key() + ":" + c.reason())
        .containsExactly("touched:MODIFIED", "new:MISSING", "grown:SIZE", "empty:MODIFIED");
    assertThat(checked.copies()).extracting(c -> c.object().key() + ":" + c.describe())
        .containsExactly("edited:content differs (CRC32C 00000002 != 00000005)", "new:missing", "grown:size differs");
    assertThat(checked.unchanged()).isEqualTo(3);
    assertThat(read).containsExactlyInAnyOrder("src:same", "dst:same", "src:edited", "dst:edited", "src:touched",
        "dst:touched"); // never the empty object, nor objects of different sizes
    assertThat(content.bytesRead()).isEqualTo(30);
  }

  @Test
  void aListedChecksumSavesReadingThatSide() throws IOException {
    List<String> read = new CopyOnWriteArrayList<>();
    ContentComparison content = new ContentComparison(o -> { read.add("src:" + o.key()); return 7; },
        o -> { read.add("dst:" + o.key()); return 7; }, 1);

    SyncPlan plan = SyncPlanner.plan(List.of(o("a", 3, 1)), List.of(store("a", 3, 0, 7)), false, true, content);

    assertThat(plan.copies()).isEmpty();
    assertThat(read).containsExactly("src:a");
  }

  @Test
  void aFailedReadFailsThePlan() {
    ContentComparison content = new ContentComparison(o -> { throw new IOException("cannot read " + o.key()); },
        o -> 1, 2);

    assertThatThrownBy(() -> SyncPlanner.plan(List.of(o("a", 3, 1)), List.of(o("a", 3, 1)), false, false, content))
        .isInstanceOf(IOException.class).hasMessage("cannot read a");
  }
}
