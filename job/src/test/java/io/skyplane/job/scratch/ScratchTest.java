package io.skyplane.job.scratch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScratchTest {
  @Test
  void runIdsAreTwelveHexDigits() {
    String id = Scratch.newRunId();
    assertThat(id).matches("[0-9a-f]{12}");
    assertThat(Scratch.isRunId(id)).isTrue();
    assertThat(Scratch.isRunId("0123456789AB")).isFalse();
    assertThat(Scratch.isRunId("0123456789a")).isFalse();
    assertThatThrownBy(() -> Scratch.prefix("x")).hasMessageContaining("not a run id");
  }

  @Test
  void onlyKeysOfARunAreaAreTheRunsNotEveryKeyUnderTheReservedPrefix() {
    assertThat(Scratch.runOf(".skyplane-tmp/0123456789ab/lease.json")).contains("0123456789ab");
    assertThat(Scratch.runOf(".skyplane-tmp/0123456789ab-77/part-00001")).contains("0123456789ab");
    assertThat(Scratch.isRunKey(".skyplane-tmp/notes.txt")).isFalse();
    assertThat(Scratch.isRunKey(".skyplane-tmp/0123456789abc/x")).isFalse();
    assertThat(Scratch.isRunKey(".skyplane-tmp/0123456789ab")).isFalse();
    assertThat(Scratch.isRunKey("data/.skyplane-tmp/0123456789ab/x")).isFalse();
    assertThat(Scratch.isRunKey(".skyplane-tmp/0123456789ab/\nweird")).isTrue();
  }
}
