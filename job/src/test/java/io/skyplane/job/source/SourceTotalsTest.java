package io.skyplane.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.job.codec.Compression;
import io.skyplane.job.transfer.Location;
import io.skyplane.job.transfer.TransferSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceTotalsTest {
  @TempDir Path dir;

  private TransferSpec spec() {
    return new TransferSpec("0123456789ab", Location.local(dir, false, "src"), Location.local(Path.of("/dst"), false,
        "dst"), false, 4096, 1000, Compression.NONE, 1, "");
  }

  private void file(String name, int size) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[size]);
  }

  @Test
  void countsAndChecksEveryObjectAsTheWalkGoesBy() throws IOException {
    file("a/one", 1);
    file("a/b/two", 20);
    file("c", 300);
    file("d/e/f/g/empty", 0);
    List<String> checked = new ArrayList<>();
    long[] reports = {0};

    SourceTotals totals = SourceTotals.scan(spec(), null, o -> checked.add(o.key()), n -> reports[0]++);

    assertThat(totals.objects()).isEqualTo(4);
    assertThat(totals.bytes()).isEqualTo(321);
    assertThat(totals.largest().key()).isEqualTo("c");
    assertThat(checked).containsExactlyInAnyOrder("a/one", "a/b/two", "c", "d/e/f/g/empty");
    assertThat(reports[0]).isZero(); // fewer than REPORT_EVERY
  }

  @Test
  void onlyTheGivenKeysAreCounted() throws IOException {
    file("a", 1);
    file("b", 2);
    SourceTotals totals = SourceTotals.scan(spec(), java.util.Set.of("b"), o -> { }, n -> { });
    assertThat(totals.objects()).isEqualTo(1);
    assertThat(totals.bytes()).isEqualTo(2);
    assertThat(totals.largest().key()).isEqualTo("b");
  }

  @Test
  void aRefusedObjectStopsTheScanWithTheCheckersError() throws IOException {
    file("a", 1);
    file("bad", 1);
    assertThatThrownBy(() -> SourceTotals.scan(spec(), null, o -> {
      if (o.key().equals("bad")) {
        throw new IllegalArgumentException("refused " + o.key());
      }
    }, n -> { })).isInstanceOf(IllegalArgumentException.class).hasMessage("refused bad");
  }

  @Test
  void theTotalsOfAListAreThoseOfItsObjects() {
    SourceObject small = new SourceObject("s", Path.of("/s"), 5, 0);
    SourceObject big = new SourceObject("b", Path.of("/b"), 50, 0);
    assertThat(SourceTotals.of(List.of(small, big, small))).isEqualTo(new SourceTotals(3, 60, big));
    assertThat(SourceTotals.of(List.of())).isEqualTo(SourceTotals.NONE);
  }
}
