package io.skyplane.job.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairResultTest {
  private static final Link LINK = new Link("aws:us-east-1", "gcp:europe-west4");
  private static final long MS = 1_000_000;

  @Test
  void sumsTheReceiversRatesAndTakesTheMedianConnectTime() {
    List<WindowSample> windows = List.of(
        new WindowSample(0, 25_000_000, 5_000 * MS, 30_000_000, true, 1_048_576, 0), // 40 Mbit/s
        new WindowSample(1, 12_500_000, 2_500 * MS, 15_000_000, true, 1_048_576, 2_000 * MS)); // 40 Mbit/s
    List<RttSample> rtts = List.of(rtt(0, 81), rtt(0, 80), rtt(1, 95), rtt(1, 79), rtt(1, 80));

    PairResult result = PairResult.of(LINK, 2, windows, rtts, false);

    assertThat(result.gbps()).isCloseTo(0.080, within(1e-12));
    assertThat(result.rttMs()).isCloseTo(80.0, within(1e-9));
    assertThat(result.rttSamples()).isEqualTo(5);
    assertThat(result.bytes()).isEqualTo(37_500_000);
    assertThat(result.seconds()).isCloseTo(3.75, within(1e-9));
    assertThat(result.warmUpSeconds()).isEqualTo(2.0);
    assertThat(result.receivers()).isEqualTo(2);
    // 2 x 1 MiB in flight per 80 ms round trip: 210 Mbit/s
    assertThat(result.flowControlGbps()).isCloseTo(2 * 1_048_576 * 8 / 80e6, within(1e-9));
    assertThat(result.notes()).isEmpty();
    assertThat(result.measured()).isTrue();
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndFailuresDoNotCount() {
    List<RttSample> rtts = List.of(rtt(0, 10), rtt(0, 30), rtt(0, 20), rtt(0, 40),
        new RttSample(1, 0, "connect to 10.0.0.2:6121: Connection refused"));

    assertThat(PairResult.medianNanos(rtts)).isEqualTo(25.0 * MS);
    assertThat(PairResult.medianNanos(List.of())).isNaN();
  }

  @Test
  void notesWhatMakesTheFiguresLessTrustworthy() {
    List<WindowSample> windows = List.of(
        new WindowSample(0, 1_000_000, 800 * MS, 2_000_000, false, 65_536, 0),
        new WindowSample(1, 1_000_000, 1_000 * MS, 2_000_000, true, 65_536, 0));
    List<RttSample> rtts = List.of(rtt(0, 10), new RttSample(1, 0, "connect to h:1: timed out"));

    PairResult result = PairResult.of(LINK, 3, windows, rtts, false);

    assertThat(result.notes()).anyMatch(n -> n.contains("only 2 of 3 receivers"));
    assertThat(result.notes()).anyMatch(n -> n.contains("stopped before the window closed at 1 receiver"));
    assertThat(result.notes()).anyMatch(n -> n.contains("RTT: connect to h:1: timed out"));
    // 18 Mbit/s against a bound of 128 KiB per 10 ms (~105 Mbit/s): not near it
    assertThat(result.notes()).noneMatch(n -> n.contains("flow-control bound"));
  }

  @Test
  void aRateNearTheFlowControlBoundIsFlaggedAsPossiblyTheWindow() {
    // 320 KiB per 80 ms = 32.8 Mbit/s; measured 31 Mbit/s
    List<WindowSample> windows = List.of(new WindowSample(0, 3_875_000, 1_000 * MS, 4_000_000, true, 327_680, 0));

    PairResult result = PairResult.of(LINK, 1, windows, List.of(rtt(0, 80)), false);

    assertThat(result.flowControlGbps()).isCloseTo(0.0328, within(1e-4));
    assertThat(result.notes()).singleElement().asString().contains("near the flow-control bound");
  }

  @Test
  void theEmbeddedClusterHasNoFlowControlBoundAndNoBytesMeansNotMeasured() {
    PairResult embedded = PairResult.of(LINK, 1,
        List.of(new WindowSample(0, 1_000, 1_000 * MS, 1_000, true, 327_680, 0)), List.of(rtt(0, 1)), true);
    PairResult empty = PairResult.of(LINK, 1, List.of(), List.of(), false);

    assertThat(embedded.flowControlGbps()).isNull();
    assertThat(empty.measured()).isFalse();
    assertThat(empty.rttMs()).isNull();
    assertThat(empty.notes()).anyMatch(n -> n.contains("no bytes arrived"));
  }

  @Test
  void flowControlWindowsFollowFlinksFixedBufferCounts() {
    // 4 senders to 4 receivers: each receiver gate has 4 channels of 2 exclusive buffers
    assertThat(FlowControl.creditBytes(4, 32 * 1024)).isEqualTo(8 * 32 * 1024);
    assertThat(FlowControl.senderBufferBytes(4, 32 * 1024)).isEqualTo((8 + 8 + 20) * 32 * 1024);
  }

  private static RttSample rtt(int subtask, long millis) {
    return new RttSample(subtask, millis * MS, null);
  }
}
