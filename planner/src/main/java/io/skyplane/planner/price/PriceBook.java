package io.skyplane.planner.price;

import static java.util.Objects.requireNonNull;

import io.skyplane.planner.region.Cloud;
import io.skyplane.planner.region.Region;
import io.skyplane.planner.region.RegionPair;
import java.util.List;
import java.util.Map;

/**
 * Prices and per-VM caps: the VM rented in each cloud, egress rules by cloud and continent, and
 * optional per-pair egress prices that override the rules (e.g. a measured or negotiated table).
 */
public record PriceBook(
    Map<Cloud, VmType> vmTypes, List<EgressRule> egressRules, Map<RegionPair, Double> pairPrices) {

  public PriceBook {
    vmTypes = Map.copyOf(requireNonNull(vmTypes, "vmTypes is null"));
    egressRules = List.copyOf(requireNonNull(egressRules, "egressRules is null"));
    pairPrices = Map.copyOf(requireNonNull(pairPrices, "pairPrices is null"));
  }

  /** The VM type rented in a cloud; an error when the price book has none. */
  public VmType vmType(Cloud cloud) {
    VmType type = vmTypes.get(cloud);
    if (type == null) {
      throw new IllegalArgumentException("price book has no VM type for cloud " + cloud.prefix());
    }
    return type;
  }

  /**
   * USD per GB for data sent from {@code src} to {@code dst}: a pair price when present, otherwise
   * the most specific matching rule (the first in file order on a tie).
   *
   * @throws IllegalArgumentException when nothing matches
   */
  public double egressUsdPerGb(Region src, Region dst, NetworkTier tier) {
    Double pair = pairPrices.get(new RegionPair(src.id(), dst.id()));
    if (pair != null) {
      return pair;
    }
    EgressRule best = null;
    for (EgressRule rule : egressRules) {
      if (rule.matches(src, dst, tier) && (best == null || rule.specificity() > best.specificity())) {
        best = rule;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException(
          "no egress price for " + src.id() + " -> " + dst.id() + " in the price book");
    }
    return best.usdPerGb();
  }

  /** A copy with these per-pair prices added (they win over earlier ones). */
  public PriceBook withPairPrices(Map<RegionPair, Double> more) {
    var merged = new java.util.HashMap<>(pairPrices);
    merged.putAll(more);
    return new PriceBook(vmTypes, egressRules, merged);
  }
}
