package io.skyplane.testing.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.testing.faults.FaultSpec.ResetPoint;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaultSpecTest {

  @Test
  void parsesEveryItemOfTheGrammar() {
    FaultSpec s = FaultSpec.parse("throttle=0.10,error=0.05:500+503,reset=0.02:response,"
        + "stall=0.005:60s,drip=0.01:256KiB/s,seed=42,methods=get+PUT+POST,skip=20,"
        + "path=^/bucket/(a|b){1,2}");
    assertThat(s.throttle()).isEqualTo(0.10);
    assertThat(s.error().probability()).isEqualTo(0.05);
    assertThat(s.error().statuses()).containsExactly(500, 503);
    assertThat(s.reset().probability()).isEqualTo(0.02);
    assertThat(s.reset().at()).isEqualTo(ResetPoint.RESPONSE);
    assertThat(s.stall().probability()).isEqualTo(0.005);
    assertThat(s.stall().duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.drip().probability()).isEqualTo(0.01);
    assertThat(s.drip().bytesPerSecond()).isEqualTo(256 * 1024);
    assertThat(s.seed()).isEqualTo(42);
    assertThat(s.filter().methods()).containsExactlyInAnyOrder("GET", "PUT", "POST");
    assertThat(s.filter().skip()).isEqualTo(20);
    assertThat(s.filter().path()).isEqualTo("^/bucket/(a|b){1,2}"); // a comma inside the regex
    assertThat(s.down()).isZero();
    assertThat(s.expect()).isEqualTo(FaultSpec.ExpectAnswer.REFUSE);
    assertThat(FaultSpec.parse("error=1,expect=continue").expect())
        .isEqualTo(FaultSpec.ExpectAnswer.CONTINUE);
  }

  @Test
  void defaultsPercentagesAndUnits() {
    FaultSpec s = FaultSpec.parse(" error = 5% , reset=2.5%, stall=0.1:1.5s, drip=0.1:1MB/s ");
    assertThat(s.error().probability()).isEqualTo(0.05);
    assertThat(s.error().statuses()).containsExactly(500);
    assertThat(s.reset().probability()).isEqualTo(0.025);
    assertThat(s.reset().at()).isEqualTo(ResetPoint.ANY);
    assertThat(s.stall().duration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(s.drip().bytesPerSecond()).isEqualTo(1_000_000);
    assertThat(s.seed()).isEqualTo(FaultSpec.DEFAULT_SEED);
    assertThat(FaultSpec.parse("stall=1:250ms").stall().duration()).isEqualTo(Duration.ofMillis(250));
    assertThat(FaultSpec.parse("stall=1:2").stall().duration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(FaultSpec.parse("stall=1:1m").stall().duration()).isEqualTo(Duration.ofMinutes(1));
    assertThat(FaultSpec.parse("drip=1:64KiB").drip().bytesPerSecond()).isEqualTo(65536);
    assertThat(FaultSpec.parse("drip=1:2MiB/s").drip().bytesPerSecond()).isEqualTo(2 << 20);
    assertThat(FaultSpec.parse("drip=1:100").drip().bytesPerSecond()).isEqualTo(100);
  }

  @Test
  void aPathRegexEndsAtTheNextKey() {
    FaultSpec s = FaultSpec.parse("reset=1,path=alt=media|x{1,2}, seed=2,methods=GET");
    assertThat(s.filter().path()).isEqualTo("alt=media|x{1,2}");
    assertThat(s.seed()).isEqualTo(2);
    assertThat(s.filter().methods()).containsExactly("GET");
    assertThat(FaultSpec.parse("path=a,b").filter().path()).isEqualTo("a,b");
  }

  @Test
  void noneAndEmptyAreTheTransparentSpec() {
    assertThat(FaultSpec.parse("none")).isEqualTo(FaultSpec.none());
    assertThat(FaultSpec.parse("  ")).isEqualTo(FaultSpec.none());
    assertThat(FaultSpec.parse("throttle=0,reset=0:request")).isEqualTo(FaultSpec.none());
    assertThat(FaultSpec.none().injectsNothing()).isTrue();
    assertThat(FaultSpec.none()).hasToString("none");
    assertThat(FaultSpec.parse("seed=3").injectsNothing()).isTrue();
  }

  @Test
  void downAndItsAliasAlways() {
    assertThat(FaultSpec.parse("down=503").down()).isEqualTo(503);
    assertThat(FaultSpec.parse("always=500,skip=2").down()).isEqualTo(500);
    assertThat(FaultSpec.parse("always=500").injectsNothing()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "none",
      "throttle=0.1",
      "throttle=0.1,error=0.05:500+502+503,reset=0.02:any,stall=0.005:60s,drip=0.01:256KiB/s,seed=42,methods=GET+POST+PUT,skip=20,path=^/b/.*,x",
      "reset=1:headers,methods=HEAD",
      "reset=1:request,path=uploadId=",
      "stall=0.5:1500ms",
      "drip=1:1000B/s",
      "down=503,skip=1",
      "down=503,expect=continue,skip=1",
      "throttle=0.5,expect=continue,seed=2",
      "seed=-7",
  })
  void toStringIsCanonicalAndParsesBack(String spec) {
    FaultSpec s = FaultSpec.parse(spec);
    assertThat(FaultSpec.parse(s.toString())).isEqualTo(s);
    assertThat(s.toString()).isEqualTo(spec);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "throttle=0.6,error=0.5",          // probabilities add up to more than 1
      "throttle=1.5",
      "throttle=-0.1",
      "throttle",                        // not key=value
      "bogus=1",
      "throttle=0.1,throttle=0.2",
      "down=503,always=500",             // the same key twice
      "error=0.1:404",                   // not an error status
      "down=200",
      "down=503,throttle=0.1",           // only-errors mode combines with nothing
      "stall=0.1",                       // no duration
      "stall=0.1:5parsecs",
      "drip=0.1",
      "drip=0.1:fast",
      "drip=0.1:0B/s",
      "reset=0.1:sometimes",
      "expect=maybe",
      "skip=-1",
      "seed=abc",
      "path=([unclosed",
  })
  void rejectsBadSpecsQuotingThem(String spec) {
    assertThatThrownBy(() -> FaultSpec.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad fault spec '" + spec + "'");
  }

  @Test
  void recordsValidateTheirParts() {
    assertThatThrownBy(() -> new FaultSpec.Failure(0.1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FaultSpec.Stall(0.1, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new FaultSpec.Filter(Set.of("get"), null, 0).methods()).containsExactly("GET");
    assertThat(FaultSpec.parse("throttle=0.2").withSeed(9).seed()).isEqualTo(9);
  }
}
