package io.skyplane.job.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.job.source.SourceObject;
import java.nio.file.Path;
import java.util.List;
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
}
