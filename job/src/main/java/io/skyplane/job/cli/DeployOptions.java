package io.skyplane.job.cli;

import io.skyplane.planner.cli.OptionRanges;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the operator says about a deployment (a picocli mixin of {@code deploy} and of
 * {@code cp/sync --deploy}): the address range admitted to the REST port, the VMs' lifetime and
 * kind, cloud accounts, and where the Terraform module and binary are. No secrets.
 */
final class DeployOptions {
  /** --ttl: at least 10 minutes (deploy/terraform's own minimum), at most a week. */
  static final int MIN_TTL_MINUTES = 10;
  static final int MAX_TTL_MINUTES = 7 * 24 * 60;
  private static final Pattern CIDR = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}/(\\d|[12]\\d|3[0-2])");

  @Option(names = "--operator-cidr", paramLabel = "CIDR",
      description = "Address range allowed to reach the JobManager's REST port, e.g. 203.0.113.7/32 (required to deploy).")
  String operatorCidr;

  @Option(names = "--ttl", paramLabel = "MINUTES", defaultValue = "120",
      description = "VMs shut themselves down after this many minutes, 10..10080 (a week)"
          + " (default: ${DEFAULT-VALUE}).")
  int ttlMinutes;

  @Option(names = "--spot", description = "Spot / preemptible VMs.")
  boolean spot;

  @Option(names = "--gcp-project", paramLabel = "ID", defaultValue = "", description = "GCP project for GCP regions.")
  String gcpProject;

  @Option(names = "--azure-subscription", paramLabel = "ID", defaultValue = "", description = "Azure subscription id.")
  String azureSubscription;

  @Mixin Terraform.Options terraform;

  /**
   * The operator's Terraform variables with the buckets the VMs may read and write ("" = none);
   * IllegalArgumentException on bad input, before anything is written.
   */
  Map<String, Object> variables(String sourceBucket, String destinationBucket) {
    if (operatorCidr == null) {
      throw new IllegalArgumentException("deploying needs --operator-cidr CIDR, the address range allowed to reach"
          + " the REST port, e.g. 203.0.113.7/32");
    }
    if (!CIDR.matcher(operatorCidr).matches() || operatorCidr.startsWith("0.0.0.0/")) {
      throw new IllegalArgumentException("--operator-cidr must be the address range allowed to reach the REST port,"
          + " e.g. 203.0.113.7/32, not the whole internet; got '" + operatorCidr + "'");
    }
    OptionRanges.check("--ttl", ttlMinutes, MIN_TTL_MINUTES, MAX_TTL_MINUTES);
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("operator_cidr", operatorCidr);
    variables.put("source_bucket", sourceBucket);
    variables.put("destination_bucket", destinationBucket);
    variables.put("ttl_minutes", ttlMinutes);
    variables.put("spot", spot);
    variables.put("gcp_project", gcpProject);
    variables.put("azure_subscription_id", azureSubscription);
    return variables;
  }
}
