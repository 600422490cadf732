package io.skyplane.planner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The ranges of plan's numeric options: one error line naming the option and the value, exit 2, before solving. */
class OptionRangesTest {
  @Test
  void boundsAreInclusiveAndNaNIsNeverInRange() {
    assertThat(OptionRanges.check("-n", 1, 1, 4)).isEqualTo(1);
    assertThat(OptionRanges.check("-n", 4L, 1, 4)).isEqualTo(4);
    assertThat(OptionRanges.check("-x", 0.0, 0, 1, "between 0 and 1", "0")).isZero();
    assertThatThrownBy(() -> OptionRanges.check("-n", 5, 1, 4)).hasMessage("-n must be between 1 and 4, got 5");
    assertThatThrownBy(() -> OptionRanges.check("-x", Double.NaN, 0, 1, "between 0 and 1", "NaN"))
        .hasMessage("-x must be between 0 and 1, got 'NaN'");
    assertThatThrownBy(() -> OptionRanges.check("-x", Double.POSITIVE_INFINITY, 0, Double.MAX_VALUE, "finite", "1e999"))
        .hasMessage("-x must be finite, got '1e999'");
  }

  static Stream<Arguments> badPlans() {
    return Stream.of(
        Arguments.of(new String[] {"--volume", "2000PB"}, "--volume must be at most 1EB, got '2000PB'"),
        Arguments.of(new String[] {"--volume", "1TB", "--throughput", "500kbps"},
            "--throughput must be between 1Mbps and 100Tbps, got '500kbps'"),
        Arguments.of(new String[] {"--volume", "1TB", "--throughput", "101Tbps"},
            "--throughput must be between 1Mbps and 100Tbps, got '101Tbps'"),
        Arguments.of(new String[] {"--volume", "1TB", "--max-cost", "$1000000001"},
            "--max-cost must be at most 1000000000USD, got '$1000000001'"),
        Arguments.of(new String[] {"--volume", "1TB", "--max-vms-per-region", "0"},
            "--max-vms-per-region must be between 1 and 1024, got 0"),
        Arguments.of(new String[] {"--volume", "1TB", "--tms-per-vm", "65"}, "--tms-per-vm must be between 1 and 64, got 65"),
        Arguments.of(new String[] {"--volume", "1TB", "--max-hops", "0"}, "--max-hops must be between 1 and 4, got 0"),
        Arguments.of(new String[] {"--volume", "1TB", "--provisioning-overhead", "86401"},
            "--provisioning-overhead must be between 0 and 86400 seconds, got '86401.0'"),
        Arguments.of(new String[] {"--volume", "1TB", "--provisioning-overhead", "Infinity"},
            "--provisioning-overhead must be between 0 and 86400 seconds, got 'Infinity'"));
  }

  @ParameterizedTest
  @MethodSource("badPlans")
  void planRefusesValuesOutOfRange(String[] options, String expected) {
    String[] args = Stream.concat(Stream.of("aws:us-east-1", "aws:us-west-2"), Stream.of(options)).toArray(String[]::new);

    PlanCommandTest.Result r = PlanCommandTest.run(args);

    assertThat(r.code()).as(r.err()).isEqualTo(PlanCommandLine.BAD_INPUT);
    assertThat(r.err().lines()).singleElement().isEqualTo("skyplane plan: error: " + expected);
    assertThat(r.out()).isEmpty();
  }
}
