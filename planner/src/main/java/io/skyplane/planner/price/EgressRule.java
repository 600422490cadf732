package io.skyplane.planner.price;

import static java.util.Objects.requireNonNull;

import io.skyplane.planner.region.Cloud;
import io.skyplane.planner.region.Continent;
import io.skyplane.planner.region.Region;
import java.util.Optional;

/**
 * One line of the egress price rules: the $/GB charged by the source cloud for data leaving a
 * region. Empty optionals are wildcards ({@code *} in the file).
 *
 * @param sameCloud true: to another region of the same cloud; false: to another cloud (internet)
 * @param dstContinent a continent, or empty for any
 * @param sameContinent when present, requires the destination to be on the same (true) or another
 *     (false) continent than the source
 */
public record EgressRule(
    Cloud srcCloud,
    Optional<Continent> srcContinent,
    boolean sameCloud,
    Optional<Continent> dstContinent,
    Optional<Boolean> sameContinent,
    Optional<NetworkTier> tier,
    double usdPerGb) {

  public EgressRule {
    requireNonNull(srcCloud, "srcCloud is null");
    requireNonNull(srcContinent, "srcContinent is null");
    requireNonNull(dstContinent, "dstContinent is null");
    requireNonNull(sameContinent, "sameContinent is null");
    requireNonNull(tier, "tier is null");
    if (usdPerGb < 0) {
      throw new IllegalArgumentException("negative egress price " + usdPerGb);
    }
  }

  public boolean matches(Region src, Region dst, NetworkTier requested) {
    return src.cloud() == srcCloud
        && (src.cloud() == dst.cloud()) == sameCloud
        && srcContinent.map(c -> c == src.continent()).orElse(true)
        && dstContinent.map(c -> c == dst.continent()).orElse(true)
        && sameContinent.map(same -> same == (src.continent() == dst.continent())).orElse(true)
        && tier.map(t -> t == requested).orElse(true);
  }

  /** How many conditions beyond cloud and destination kind the rule sets; the most specific wins. */
  public int specificity() {
    return (srcContinent.isPresent() ? 1 : 0)
        + (dstContinent.isPresent() ? 1 : 0)
        + (sameContinent.isPresent() ? 1 : 0)
        + (tier.isPresent() ? 1 : 0);
  }
}
