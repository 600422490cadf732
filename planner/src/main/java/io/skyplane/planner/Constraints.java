package io.skyplane.planner;

import static java.util.Objects.requireNonNull;

import io.skyplane.planner.price.NetworkTier;
import io.skyplane.planner.region.RegionId;
import java.util.Map;
import java.util.Set;

/**
 * Limits on a plan.
 *
 * @param maxVmsPerRegion VM quota of every region without an entry in {@code vmQuotas}
 * @param vmQuotas per-region VM quotas (0 forbids relaying through a region)
 * @param taskManagersPerVm Flink TaskManagers run on each VM (reported, not optimised)
 * @param avoid regions never used as relays (data residency); naming the source or destination
 *     is an error
 * @param allowOnly when not empty, the only regions that may relay
 * @param maxHops the most overlay edges on any path (1 = direct only)
 * @param provisioningSeconds VM time paid per VM on top of the transfer (boot, install, teardown)
 * @param connectionsPerVm TCP connections a VM opens in total; the grid's per-pair figures are for
 *     this many connections (Skyplane's grids: 64)
 * @param gcpTier GCP network tier that prices GCP egress to the internet
 */
public record Constraints(
    int maxVmsPerRegion,
    Map<RegionId, Integer> vmQuotas,
    int taskManagersPerVm,
    Set<RegionId> avoid,
    Set<RegionId> allowOnly,
    int maxHops,
    double provisioningSeconds,
    int connectionsPerVm,
    NetworkTier gcpTier) {

  public static final int DEFAULT_MAX_VMS_PER_REGION = 8;
  public static final int DEFAULT_MAX_HOPS = 2;
  public static final double DEFAULT_PROVISIONING_SECONDS = 120;

  public Constraints {
    vmQuotas = Map.copyOf(requireNonNull(vmQuotas, "vmQuotas is null"));
    avoid = Set.copyOf(requireNonNull(avoid, "avoid is null"));
    allowOnly = Set.copyOf(requireNonNull(allowOnly, "allowOnly is null"));
    requireNonNull(gcpTier, "gcpTier is null");
    if (maxVmsPerRegion < 1 || maxVmsPerRegion > 1024) {
      throw new IllegalArgumentException("max VMs per region must be 1..1024, got " + maxVmsPerRegion);
    }
    vmQuotas.forEach(
        (region, quota) -> {
          if (quota < 0 || quota > 1024) {
            throw new IllegalArgumentException("VM quota of " + region + " must be 0..1024, got " + quota);
          }
        });
    if (taskManagersPerVm < 1) {
      throw new IllegalArgumentException("TaskManagers per VM must be >= 1, got " + taskManagersPerVm);
    }
    if (maxHops < 1 || maxHops > 4) {
      throw new IllegalArgumentException("max hops must be 1..4, got " + maxHops);
    }
    if (!(provisioningSeconds >= 0) || Double.isInfinite(provisioningSeconds)) {
      throw new IllegalArgumentException("provisioning overhead must be >= 0 s, got " + provisioningSeconds);
    }
    if (connectionsPerVm < 1) {
      throw new IllegalArgumentException("connections per VM must be >= 1, got " + connectionsPerVm);
    }
  }

  /** Defaults: 8 VMs per region, 1 TaskManager per VM, 2 hops, 120 s overhead, 64 connections. */
  public static Constraints defaults() {
    return new Constraints(
        DEFAULT_MAX_VMS_PER_REGION, Map.of(), 1, Set.of(), Set.of(), DEFAULT_MAX_HOPS,
        DEFAULT_PROVISIONING_SECONDS, 64, NetworkTier.PREMIUM);
  }

  public int quota(RegionId region) {
    return vmQuotas.getOrDefault(region, maxVmsPerRegion);
  }

  public Constraints withMaxVmsPerRegion(int value) {
    return new Constraints(value, vmQuotas, taskManagersPerVm, avoid, allowOnly, maxHops,
        provisioningSeconds, connectionsPerVm, gcpTier);
  }

  public Constraints withVmQuotas(Map<RegionId, Integer> value) {
    return new Constraints(maxVmsPerRegion, value, taskManagersPerVm, avoid, allowOnly, maxHops,
        provisioningSeconds, connectionsPerVm, gcpTier);
  }

  public Constraints withAvoid(Set<RegionId> value) {
    return new Constraints(maxVmsPerRegion, vmQuotas, taskManagersPerVm, value, allowOnly, maxHops,
        provisioningSeconds, connectionsPerVm, gcpTier);
  }

  public Constraints withAllowOnly(Set<RegionId> value) {
    return new Constraints(maxVmsPerRegion, vmQuotas, taskManagersPerVm, avoid, value, maxHops,
        provisioningSeconds, connectionsPerVm, gcpTier);
  }

  public Constraints withMaxHops(int value) {
    return new Constraints(maxVmsPerRegion, vmQuotas, taskManagersPerVm, avoid, allowOnly, value,
        provisioningSeconds, connectionsPerVm, gcpTier);
  }

  public Constraints withTaskManagersPerVm(int value) {
    return new Constraints(maxVmsPerRegion, vmQuotas, value, avoid, allowOnly, maxHops,
        provisioningSeconds, connectionsPerVm, gcpTier);
  }

  public Constraints withProvisioningSeconds(double value) {
    return new Constraints(maxVmsPerRegion, vmQuotas, taskManagersPerVm, avoid, allowOnly, maxHops,
        value, connectionsPerVm, gcpTier);
  }

  public Constraints withGcpTier(NetworkTier value) {
    return new Constraints(maxVmsPerRegion, vmQuotas, taskManagersPerVm, avoid, allowOnly, maxHops,
        provisioningSeconds, connectionsPerVm, value);
  }
}
