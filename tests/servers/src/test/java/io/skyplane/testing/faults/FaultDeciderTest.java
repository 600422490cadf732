package io.skyplane.testing.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultDeciderTest {
  private static final String MIX =
      "throttle=0.1,error=0.1:500+502+503,reset=0.1,stall=0.1:2s,drip=0.1:64KiB/s";

  @Test
  void theSameSeedGivesTheSameDecisionsAndAnotherSeedOthers() {
    List<Decision> a = run(MIX + ",seed=42", 500);
    List<Decision> b = run(MIX + ",seed=42", 500);
    List<Decision> c = run(MIX + ",seed=43", 500);
    assertThat(a).isEqualTo(b);
    assertThat(c).isNotEqualTo(a);
  }

  @Test
  void faultsComeAtAboutTheirRates() {
    Map<FaultKind, Integer> counts = new EnumMap<>(FaultKind.class);
    for (Decision d : run(MIX + ",seed=5", 20_000)) {
      counts.merge(d.kind(), 1, Integer::sum);
    }
    for (FaultKind k : List.of(FaultKind.THROTTLE, FaultKind.ERROR, FaultKind.RESET,
        FaultKind.STALL, FaultKind.DRIP)) {
      assertThat(counts.get(k)).as(k.key()).isBetween(1700, 2300);
    }
    assertThat(counts.get(FaultKind.NONE)).isBetween(9400, 10600);
  }

  @Test
  void decisionsCarryTheirParameters() {
    for (Decision d : run(MIX, 2000)) {
      switch (d.kind()) {
        case THROTTLE -> assertThat(d.status()).isEqualTo(503); // S3 flavour
        case ERROR -> assertThat(d.status()).isIn(500, 502, 503);
        case RESET -> {
          assertThat(d.phase()).isIn(Decision.Phase.REQUEST_BODY, Decision.Phase.RESPONSE_BODY);
          assertThat(d.position()).isBetween(0.0, 1.0);
        }
        case STALL -> assertThat(d.stall().toMillis()).isEqualTo(2000);
        case DRIP -> assertThat(d.bytesPerSecond()).isEqualTo(65536);
        default -> assertThat(d).isEqualTo(Decision.PASS);
      }
    }
    FaultDecider gcs = new FaultDecider(FaultSpec.parse("throttle=1"), StoreFlavour.GCS);
    assertThat(gcs.decide("GET", "/", false).status()).isEqualTo(429);
  }

  @Test
  void allThreeErrorStatusesArePicked() {
    assertThat(run("error=1:500+502+503", 300).stream().map(Decision::status).distinct())
        .containsExactlyInAnyOrder(500, 502, 503);
  }

  @Test
  void skipLetsTheFirstMatchingRequestsPass() {
    FaultDecider d = new FaultDecider(FaultSpec.parse("throttle=1,skip=3,methods=PUT"),
        StoreFlavour.S3);
    assertThat(d.decide("GET", "/b/k", false)).isEqualTo(Decision.PASS); // not matching: not counted
    for (int i = 0; i < 3; i++) {
      assertThat(d.decide("PUT", "/b/k" + i, true)).isEqualTo(Decision.PASS);
    }
    assertThat(d.decide("PUT", "/b/k", true).kind()).isEqualTo(FaultKind.THROTTLE);
    assertThat(d.decide("GET", "/b/k", false)).isEqualTo(Decision.PASS);
  }

  @Test
  void pathFilterFindsInPathAndQuery() {
    FaultDecider d = new FaultDecider(FaultSpec.parse("error=1,path=uploadId="), StoreFlavour.S3);
    assertThat(d.decide("PUT", "/b/k?partNumber=1&uploadId=abc", true).kind())
        .isEqualTo(FaultKind.ERROR);
    assertThat(d.decide("PUT", "/b/k", true)).isEqualTo(Decision.PASS);
    assertThat(d.decide("POST", "/b/k?uploads", false)).isEqualTo(Decision.PASS);
  }

  @Test
  void requestsOutsideTheFiltersDrawNothing() {
    FaultSpec spec = FaultSpec.parse(MIX + ",methods=GET,seed=11");
    FaultDecider plain = new FaultDecider(spec, StoreFlavour.S3);
    FaultDecider interleaved = new FaultDecider(spec, StoreFlavour.S3);
    for (int i = 0; i < 200; i++) {
      interleaved.decide("PUT", "/b/x", true);
      assertThat(interleaved.decide("GET", "/b/k", false))
          .isEqualTo(plain.decide("GET", "/b/k", false));
    }
  }

  @Test
  void downAnswersEveryMatchingRequest() {
    assertThat(run("down=503", 50)).allMatch(d -> d.kind() == FaultKind.DOWN && d.status() == 503);
    FaultDecider d = new FaultDecider(FaultSpec.parse("always=500,skip=1"), StoreFlavour.AZURE);
    assertThat(d.decide("PUT", "/c", false)).isEqualTo(Decision.PASS);
    assertThat(d.decide("GET", "/c/b", false).status()).isEqualTo(500);
  }

  @Test
  void resetPointsFollowTheSpecAndTheBody() {
    FaultDecider request = new FaultDecider(FaultSpec.parse("reset=1:request"), StoreFlavour.S3);
    assertThat(request.decide("GET", "/b/k", false)).isEqualTo(Decision.PASS);
    assertThat(request.decide("PUT", "/b/k", true).phase())
        .isEqualTo(Decision.Phase.REQUEST_BODY);
    FaultDecider headers = new FaultDecider(FaultSpec.parse("reset=1:headers"), StoreFlavour.S3);
    assertThat(headers.decide("PUT", "/b/k", true).phase())
        .isEqualTo(Decision.Phase.RESPONSE_HEADERS);
    FaultDecider any = new FaultDecider(FaultSpec.parse("reset=1,seed=3"), StoreFlavour.S3);
    List<Decision.Phase> withBody = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      withBody.add(any.decide("PUT", "/b/k", true).phase());
      assertThat(any.decide("GET", "/b/k", false).phase())
          .isEqualTo(Decision.Phase.RESPONSE_BODY);
    }
    assertThat(withBody).contains(Decision.Phase.REQUEST_BODY, Decision.Phase.RESPONSE_BODY);
  }

  @Test
  void answeredFaultsCarryTheExpectChoice() {
    assertThat(run("throttle=1", 3)).noneMatch(Decision::continueFirst);
    assertThat(run("throttle=1,expect=continue", 3)).allMatch(Decision::continueFirst);
    assertThat(run("down=500,expect=continue", 3)).allMatch(Decision::continueFirst);
  }

  @Test
  void noFaultsMeansEveryRequestPasses() {
    assertThat(run("none", 100)).allMatch(d -> d.equals(Decision.PASS));
  }

  private static List<Decision> run(String spec, int n) {
    FaultDecider d = new FaultDecider(FaultSpec.parse(spec), StoreFlavour.S3);
    List<Decision> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean put = i % 3 == 0;
      out.add(d.decide(put ? "PUT" : "GET", "/bucket/key" + i, put));
    }
    return out;
  }
}
