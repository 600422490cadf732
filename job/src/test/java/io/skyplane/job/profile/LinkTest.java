package io.skyplane.job.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkTest {
  @Test
  void everyOrderedPairOnceThereAndBackInTheOrderGiven() {
    List<Link> links = Link.everyPair(List.of("a:x", "b:y", "c:z"));

    assertThat(links).extracting(Link::name).containsExactly(
        "a:x->b:y", "b:y->a:x", "a:x->c:z", "c:z->a:x", "b:y->c:z", "c:z->b:y");
  }

  @Test
  void nRegionsGiveNTimesNMinusOneDistinctPairsWithoutSelfPairs() {
    List<String> regions = List.of("r:1", "r:2", "r:3", "r:4", "r:5");
    List<Link> links = Link.everyPair(regions);

    assertThat(links).hasSize(5 * 4);
    assertThat(new HashSet<>(links)).hasSize(links.size());
    assertThat(links).allSatisfy(l -> assertThat(l.source()).isNotEqualTo(l.destination()));
  }

  @Test
  void refusesFewerThanTwoRegionsAndRepeatedOnes() {
    assertThatThrownBy(() -> Link.everyPair(List.of("a:x"))).hasMessageContaining("at least two regions");
    assertThatThrownBy(() -> Link.everyPair(List.of("a:x", "b:y", "a:x"))).hasMessageContaining("twice");
    assertThatThrownBy(() -> new Link("a:x", "a:x")).hasMessageContaining("a:x twice");
  }
}
