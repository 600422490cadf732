package io.skyplane.job.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupClockTest {
  private static final long NOW = 1_800_000_000_000L;

  @Test
  void theLaunchersTimeIsTheOriginWhenItIsAPlausiblePastTime() {
    assertThat(StartupClock.launchMillis(Long.toString(NOW - 250), NOW)).isEqualTo(NOW - 250);
    assertThat(StartupClock.launchMillis(" " + NOW + " ", NOW)).isEqualTo(NOW);
  }

  @Test
  void aMissingFutureStaleOrGarbledLaunchTimeIsIgnored() {
    assertThat(StartupClock.launchMillis(null, NOW)).isEqualTo(-1);
    assertThat(StartupClock.launchMillis("", NOW)).isEqualTo(-1);
    assertThat(StartupClock.launchMillis("12.5", NOW)).isEqualTo(-1);
    assertThat(StartupClock.launchMillis(Long.toString(NOW + 1), NOW)).isEqualTo(-1);
    assertThat(StartupClock.launchMillis(Long.toString(NOW - 25L * 3600 * 1000), NOW)).isEqualTo(-1);
  }

  @Test
  void withoutTheLauncherTheOriginIsTheJvmsStart() {
    long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();

    assertThat(StartupClock.originMillis()).isEqualTo(jvmStart);
  }

  @Test
  void describesTheStepsOfTheLastCommandSinceTheProcessStartedAndForgetsThem() {
    StartupClock.begin("options parsed");
    StartupClock.mark("source listed");
    StartupClock.begin("options parsed"); // a later command: the earlier one's steps are forgotten
    StartupClock.mark("source listed");

    String line = StartupClock.describe(StartupClock.originMillis() + 1_500);

    assertThat(line).matches("options parsed \\+\\d+\\.\\d\\d s, source listed \\+\\d+\\.\\d\\d s, first chunk read \\+1\\.50 s");
    assertThat(StartupClock.describe(-1)).isEmpty();
  }
}
