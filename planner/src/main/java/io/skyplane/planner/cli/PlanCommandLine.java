package io.skyplane.planner.cli;

import static java.util.Objects.requireNonNull;

import io.skyplane.planner.Constraints;
import io.skyplane.planner.Goal;
import io.skyplane.planner.InfeasiblePlanException;
import io.skyplane.planner.PlanRequest;
import io.skyplane.planner.Planner;
import io.skyplane.planner.PlannerInputs;
import io.skyplane.planner.TransferPlan;
import io.skyplane.planner.io.PlanJson;
import io.skyplane.planner.price.NetworkTier;
import io.skyplane.planner.region.RegionCatalog;
import io.skyplane.planner.region.RegionId;
import io.skyplane.planner.io.TerraformVariables;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The logic of {@code skyplane plan}, independent of the argument parser: options in, a table or
 * JSON on {@code out}, exactly one error line on {@code err}, and an exit code.
 */
public final class PlanCommandLine {

  public static final int OK = 0;
  /** The solver failed (not the user's fault). */
  public static final int INTERNAL_ERROR = 1;
  /** Bad usage or input: unknown region, malformed file (with file:line), bad quantity. */
  public static final int BAD_INPUT = 2;
  /** No plan meets the goal under the constraints; the message says what can be done. */
  public static final int INFEASIBLE = 3;

  /** --volume at most 1 EB. */
  public static final double MAX_VOLUME_GB = 1e9;
  /** --throughput between 1 Mbps and 100 Tbps. */
  public static final double MIN_THROUGHPUT_GBPS = 1e-3;
  public static final double MAX_THROUGHPUT_GBPS = 1e5;
  /** --max-cost at most a billion USD. */
  public static final double MAX_COST_USD = 1e9;
  /** --max-vms-per-region 1..1024 (the planner's own limit). */
  public static final int MAX_VMS_PER_REGION = 1024;
  /** --tms-per-vm 1..64. */
  public static final int MAX_TMS_PER_VM = 64;
  /** --max-hops 1..4. */
  public static final int MAX_HOPS = 4;
  /** --provisioning-overhead 0..86400 s (a day). */
  public static final double MAX_PROVISIONING_SECONDS = 86_400;

  private static final String PREFIX = "skyplane plan: ";

  private PlanCommandLine() {}

  public static int run(PlanOptions options, PrintStream out, PrintStream err) {
    return run(options, Optional.empty(), out, err);
  }

  /**
   * As {@link #run(PlanOptions, PrintStream, PrintStream)}; with {@code emitTerraform}, also writes
   * the plan as {@code deploy/terraform}'s variables ({@code DIR/terraform.tfvars.json}).
   */
  public static int run(PlanOptions options, Optional<Path> emitTerraform, PrintStream out, PrintStream err) {
    requireNonNull(options, "options is null");
    PlanRequest request;
    Planner planner;
    try {
      PlannerInputs inputs = PlannerInputs.load(options.confDir(), options.grid(), options.prices());
      request = request(options, inputs.catalog());
      planner = new Planner(inputs);
    } catch (IllegalArgumentException e) {
      err.println(PREFIX + "error: " + e.getMessage());
      return BAD_INPUT;
    }
    try {
      TransferPlan plan = planner.plan(request);
      if (emitTerraform.isPresent()) {
        String transferId = "skyplane-" + UUID.randomUUID().toString().substring(0, 8);
        NetworkTier tier = options.gcpTier().map(NetworkTier::parse).orElse(NetworkTier.PREMIUM);
        Path file;
        try {
          file = TerraformVariables.write(plan, transferId, tier, emitTerraform.get());
        } catch (IOException e) {
          err.println(PREFIX + "error: cannot write Terraform variables to " + emitTerraform.get() + ": " + e.getMessage());
          return BAD_INPUT;
        }
        err.println("Terraform variables for transfer " + transferId + ": " + file
            + " (deploy with: skyplane deploy " + emitTerraform.get() + " --operator-cidr YOUR.IP/32)");
      }
      if (options.json()) {
        out.println(PlanJson.write(plan));
      } else {
        PlanTable.print(plan, out);
      }
      return OK;
    } catch (InfeasiblePlanException e) {
      err.println(PREFIX + "infeasible: " + e.getMessage());
      return INFEASIBLE;
    } catch (IllegalArgumentException e) {
      err.println(PREFIX + "error: " + e.getMessage());
      return BAD_INPUT;
    } catch (IllegalStateException e) {
      err.println(PREFIX + "solver failure: " + e.getMessage());
      return INTERNAL_ERROR;
    }
  }

  /**
   * Plans a transfer from options (as {@code skyplane plan} does, without printing).
   *
   * @throws IllegalArgumentException on bad input (unknown region, malformed file, bad quantity)
   * @throws InfeasiblePlanException when no plan meets the goal
   * @throws IllegalStateException when the solver fails
   */
  public static TransferPlan plan(PlanOptions options) throws InfeasiblePlanException {
    PlannerInputs inputs = PlannerInputs.load(options.confDir(), options.grid(), options.prices());
    PlanRequest request = request(options, inputs.catalog());
    return new Planner(inputs).plan(request);
  }

  static PlanRequest request(PlanOptions options, RegionCatalog catalog) {
    RegionId source = region(options.source(), "source", catalog);
    RegionId destination = region(options.destination(), "destination", catalog);
    double volumeGb = OptionRanges.check("--volume", Quantities.parseSizeGb(options.volume(), "--volume"),
        0, MAX_VOLUME_GB, "at most 1EB", options.volume());
    if (options.throughput().isPresent() && options.maxCost().isPresent()) {
      throw new IllegalArgumentException("give either --throughput or --max-cost, not both");
    }
    Goal goal = options.throughput()
        .<Goal>map(t -> new Goal.MinCost(throughputGbps(t)))
        .or(() -> options.maxCost().map(c -> new Goal.MaxThroughput(maxCostUsd(c))))
        .orElse(new Goal.MaxThroughput(Double.POSITIVE_INFINITY));
    Constraints c = Constraints.defaults();
    if (options.maxVmsPerRegion().isPresent()) {
      c = c.withMaxVmsPerRegion(maxVmsPerRegion(options.maxVmsPerRegion().get()));
    }
    if (options.taskManagersPerVm().isPresent()) {
      c = c.withTaskManagersPerVm(
          OptionRanges.check("--tms-per-vm", options.taskManagersPerVm().get(), 1, MAX_TMS_PER_VM));
    }
    if (options.maxHops().isPresent()) {
      c = c.withMaxHops(OptionRanges.check("--max-hops", options.maxHops().get(), 1, MAX_HOPS));
    }
    if (options.provisioningSeconds().isPresent()) {
      double seconds = options.provisioningSeconds().get();
      c = c.withProvisioningSeconds(OptionRanges.check("--provisioning-overhead", seconds, 0, MAX_PROVISIONING_SECONDS,
          "between 0 and " + (long) MAX_PROVISIONING_SECONDS + " seconds", Double.toString(seconds)));
    }
    if (options.gcpTier().isPresent()) {
      c = c.withGcpTier(NetworkTier.parse(options.gcpTier().get()));
    }
    c = c.withAvoid(regions(options.avoid(), "--avoid", catalog))
        .withAllowOnly(regions(options.allowOnly(), "--allow", catalog));
    return new PlanRequest(source, List.of(destination), volumeGb, goal, c, options.direct());
  }

  /** The value of --throughput in Gbps, 1 Mbps..100 Tbps; IllegalArgumentException quoting it otherwise. */
  public static double throughputGbps(String text) {
    return OptionRanges.check("--throughput", Quantities.parseRateGbps(text, "--throughput"),
        MIN_THROUGHPUT_GBPS, MAX_THROUGHPUT_GBPS, "between 1Mbps and 100Tbps", text);
  }

  /** The value of --max-cost in USD, above 0 and at most 10^9; IllegalArgumentException quoting it otherwise. */
  public static double maxCostUsd(String text) {
    return OptionRanges.check("--max-cost", Quantities.parseUsd(text, "--max-cost"), 0, MAX_COST_USD,
        "at most 1000000000USD", text);
  }

  /** The value of --max-vms-per-region, 1..1024; IllegalArgumentException quoting it otherwise. */
  public static int maxVmsPerRegion(int value) {
    return OptionRanges.check("--max-vms-per-region", value, 1, MAX_VMS_PER_REGION);
  }

  private static RegionId region(String text, String what, RegionCatalog catalog) {
    if (text.contains("://")) {
      throw new IllegalArgumentException("bucket URIs are not supported yet: give the " + what
          + " as a region id such as aws:us-east-1 (got '" + text + "')");
    }
    RegionId id = RegionId.parse(text);
    if (catalog.find(id).isEmpty()) {
      throw new IllegalArgumentException("unknown " + what + " region '" + text + "' (see conf/planner/regions.csv)");
    }
    return id;
  }

  private static Set<RegionId> regions(List<String> texts, String what, RegionCatalog catalog) {
    Set<RegionId> ids = new LinkedHashSet<>();
    for (String text : texts) {
      for (String part : text.split(",")) {
        if (!part.isBlank()) {
          ids.add(region(part.trim(), what, catalog));
        }
      }
    }
    return ids;
  }
}
