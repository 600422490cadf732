package io.skyplane.planner.grid;

import static java.util.Objects.requireNonNull;

import io.skyplane.planner.region.Region;
import io.skyplane.planner.region.RegionCatalog;
import io.skyplane.planner.region.RegionPair;
import io.skyplane.planner.price.VmType;
import io.skyplane.planner.region.Cloud;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An <em>estimated</em> throughput grid, used when no measured grid is given. For each directed
 * pair of regions:
 *
 * <pre>
 *   rtt_ms = BASE_RTT_MS + 2 * ROUTE_INFLATION * distance_km / FIBRE_KM_PER_MS
 *   tcp    = CONNECTIONS * (MSS_BYTES * 8 / rtt_s) * MATHIS_C / sqrt(LOSS)      (Mathis et al. 1997)
 *   gbps   = min(egress cap of the source VM, ingress cap of the destination VM, tcp)
 * </pre>
 *
 * The distance is great-circle between the region locations. The model only says that far pairs
 * are slower than near ones and that per-VM caps bind; replace it with a measured grid when you
 * have one.
 */
public record GridEstimator(
    double baseRttMs,
    double routeInflation,
    double fibreKmPerMs,
    int connections,
    int mssBytes,
    double loss) {

  /** The parameters used for the shipped {@code conf/planner/throughput-estimate.csv}. */
  public static final GridEstimator DEFAULT = new GridEstimator(5.0, 1.4, 200.0, 64, 1448, 1e-6);

  private static final double MATHIS_C = Math.sqrt(1.5);

  public GridEstimator {
    if (baseRttMs < 0 || routeInflation < 1 || fibreKmPerMs <= 0 || connections <= 0
        || mssBytes <= 0 || loss <= 0 || loss >= 1) {
      throw new IllegalArgumentException("bad grid estimator parameters");
    }
  }

  public double rttMs(Region src, Region dst) {
    return baseRttMs + 2 * routeInflation * src.distanceKm(dst) / fibreKmPerMs;
  }

  /** Gbps of all connections together, before caps. */
  public double tcpGbps(double rttMs) {
    double perConnectionBps = mssBytes * 8 / (rttMs / 1000) * MATHIS_C / Math.sqrt(loss);
    return connections * perConnectionBps / 1e9;
  }

  public ThroughputGrid estimate(RegionCatalog catalog, Map<Cloud, VmType> vmTypes) {
    requireNonNull(catalog, "catalog is null");
    requireNonNull(vmTypes, "vmTypes is null");
    List<Region> regions =
        catalog.all().stream().sorted(Comparator.comparing(Region::id)).toList();
    Map<RegionPair, Double> gbps = new LinkedHashMap<>();
    for (Region src : regions) {
      for (Region dst : regions) {
        if (src.equals(dst)) {
          continue;
        }
        double cap =
            Math.min(vmTypes.get(src.cloud()).egressGbps(), vmTypes.get(dst.cloud()).ingressGbps());
        double value = Math.min(cap, tcpGbps(rttMs(src, dst)));
        gbps.put(new RegionPair(src.id(), dst.id()), Math.round(value * 100) / 100.0);
      }
    }
    return new ThroughputGrid("estimate", gbps);
  }
}
