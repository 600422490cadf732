package io.skyplane.planner.io;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.skyplane.planner.TransferPlan;
import io.skyplane.planner.price.NetworkTier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A plan as the variables of {@code deploy/terraform} (its root module's {@code variables.tf}):
 * the regions with their role, VMs, instance type and TaskManagers per VM, the JobManager's region
 * (the source's), the GCP network tier and the transfer id that tags every resource. What only the
 * operator knows ({@code operator_cidr}, buckets, projects) is given at deploy time. No credentials.
 */
public final class TerraformVariables {
  /** The file {@link #write} writes, which Terraform reads with {@code -var-file}. */
  public static final String FILE = "terraform.tfvars.json";

  private static final Pattern TRANSFER_ID = Pattern.compile("[a-z][a-z0-9-]{0,39}");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TerraformVariables() {}

  /** The variables, in the root module's names and types (numbers, strings, a list of objects). */
  public static Map<String, Object> of(TransferPlan plan, String transferId, NetworkTier gcpTier) {
    requireNonNull(plan, "plan is null");
    requireNonNull(gcpTier, "gcpTier is null");
    if (!TRANSFER_ID.matcher(transferId).matches()) {
      throw new IllegalArgumentException("transfer id '" + transferId
          + "' must be 1-40 lower-case letters, digits or '-', starting with a letter (it becomes cloud labels)");
    }
    List<Map<String, Object>> regions = new ArrayList<>();
    for (TransferPlan.Node node : plan.regions()) {
      int vms = Math.max(1, node.vms());
      Map<String, Object> region = new LinkedHashMap<>();
      region.put("region", node.region().toString());
      region.put("cloud", node.region().cloud().prefix());
      region.put("name", node.region().name());
      region.put("role", node.role());
      region.put("vms", vms);
      region.put("instance_type", node.instanceType());
      region.put("taskmanagers_per_vm", Math.max(1, node.taskManagers() / vms));
      regions.add(region);
    }
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("transfer_id", transferId);
    variables.put("regions", regions);
    variables.put("jobmanager_region", plan.source().toString());
    variables.put("gcp_network_tier", gcpTier.name().toUpperCase(Locale.ROOT));
    return variables;
  }

  /** Writes {@code DIR/terraform.tfvars.json} (creating DIR) and returns the file. */
  public static Path write(TransferPlan plan, String transferId, NetworkTier gcpTier, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    JSON.writeValue(file.toFile(), of(plan, transferId, gcpTier));
    return file;
  }
}
