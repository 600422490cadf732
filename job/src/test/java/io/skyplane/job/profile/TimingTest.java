package io.skyplane.job.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The receivers' steady window and the senders' clock: what is counted, and when sending stops. */
class TimingTest {
  private static final long MS = 1_000_000;

  @Test
  void aReceiverCountsOnlyTheWindowAfterItsWarmUp() {
    SteadyWindow window = new SteadyWindow(Duration.ofSeconds(1), Duration.ofSeconds(2));
    long t0 = 5_000 * MS; // any monotonic origin
    // slow start: 100 bytes per ms in the first second, then 1,000 per ms, then a tail
    for (long ms = 0; ms < 4_000; ms++) {
      window.add(t0 + ms * MS, ms < 1_000 ? 100 : 1_000);
    }

    WindowSample sample = window.sample(3, 42);

    assertThat(sample.subtask()).isEqualTo(3);
    assertThat(sample.nanos()).isEqualTo(2_000 * MS);
    assertThat(sample.bytes()).isEqualTo(2_000 * 1_000); // arrivals in (1 s, 3 s]
    assertThat(sample.bytes() * 8.0 / sample.nanos()).isEqualTo(0.008); // Gbit/s: 1,000 bytes per ms
    assertThat(sample.totalBytes()).isEqualTo(1_000 * 100 + 3_000 * 1_000);
    assertThat(sample.complete()).isTrue();
    assertThat(sample.creditBytes()).isEqualTo(42);
  }

  @Test
  void aWindowThatTheDataLeavesEarlyEndsAtTheLastArrival() {
    SteadyWindow window = new SteadyWindow(Duration.ofMillis(500), Duration.ofSeconds(5));
    for (long ms = 0; ms <= 1_500; ms += 10) {
      window.add(ms * MS, 10_000);
    }

    WindowSample sample = window.sample(0, 0);

    assertThat(sample.complete()).isFalse();
    assertThat(sample.nanos()).isEqualTo(1_000 * MS);
    assertThat(sample.bytes()).isEqualTo(100 * 10_000); // 510 ms .. 1,500 ms
  }

  @Test
  void aReceiverWithoutDataHasAnEmptyWindow() {
    WindowSample sample = new SteadyWindow(Duration.ofSeconds(1), Duration.ofSeconds(1)).sample(0, 0);

    assertThat(sample.bytes()).isZero();
    assertThat(sample.nanos()).isZero();
    assertThat(sample.complete()).isFalse();
  }

  @Test
  void aSenderStartsItsClockOnlyOnceItsBuffersCannotHoldWhatItSent() {
    SendClock clock = new SendClock(1_000, Duration.ofSeconds(1), Duration.ofSeconds(2), 0);
    // a receiver that is late: 1,000 bytes fit in the sender's buffers, however long it waits
    assertThat(clock.sent(0, 500)).isTrue();
    assertThat(clock.sent(60_000 * MS, 500)).isTrue();
    assertThat(clock.sent(60_001 * MS, 1)).isTrue(); // 1,001 bytes: data flows, the clock starts
    // warm-up + window + the shortest tail (500 ms)
    assertThat(clock.sent(60_001 * MS + 3_499 * MS, 1)).isTrue();
    assertThat(clock.sent(60_001 * MS + 3_500 * MS, 1)).isFalse();
  }

  @Test
  void theTailCoversFourRoundTripsOnLongLinks() {
    SendClock clock = new SendClock(0, Duration.ZERO, Duration.ofSeconds(1), 300 * MS);
    clock.sent(0, 1);

    assertThat(clock.sent(2_199 * MS, 1)).isTrue();
    assertThat(clock.sent(2_200 * MS, 1)).isFalse();
  }

  @Test
  void sendersLengthenTheWarmUpToTwentyFiveRoundTripsOnLongLinks() {
    assertThat(WarmUpHeader.warmUp(Duration.ofSeconds(1), 20 * MS)).isEqualTo(Duration.ofSeconds(1));
    assertThat(WarmUpHeader.warmUp(Duration.ofSeconds(1), 80 * MS)).isEqualTo(Duration.ofSeconds(2));
    assertThat(WarmUpHeader.warmUp(Duration.ofSeconds(1), 0)).isEqualTo(Duration.ofSeconds(1)); // no RTT
    byte[] header = WarmUpHeader.encode(Duration.ofMillis(2_500));
    assertThat(header).hasSize(WarmUpHeader.LENGTH);
    assertThat(WarmUpHeader.decode(header)).isEqualTo(2_500 * MS);
    assertThat(WarmUpHeader.decode(new byte[WarmUpHeader.LENGTH])).isEqualTo(-1); // random data of that length
    assertThat(WarmUpHeader.decode(new byte[32 * 1024])).isEqualTo(-1);
  }

  @Test
  void aHeaderLengthensAReceiversWarmUpUntilItsWindowOpens() {
    SteadyWindow window = new SteadyWindow(Duration.ofSeconds(1), Duration.ofSeconds(1));
    window.started(0);
    window.atLeast(2_000 * MS);
    for (long ms = 1; ms <= 4_000; ms++) {
      window.add(ms * MS, 1_000);
      if (ms == 2_500) {
        window.atLeast(3_000 * MS); // too late: the window is open
      }
    }

    WindowSample sample = window.sample(0, 0);

    assertThat(sample.warmUpNanos()).isEqualTo(2_000 * MS);
    assertThat(sample.bytes()).isEqualTo(1_000 * 1_000); // arrivals in (2 s, 3 s]
    assertThat(sample.complete()).isTrue();
  }
}
