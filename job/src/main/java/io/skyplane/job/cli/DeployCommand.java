package io.skyplane.job.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skyplane deploy DIR}: stands up the plan's Flink cluster with deploy/terraform. */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Create the cluster a plan needs (JobManager and the plan's TaskManagers in each region) with the",
      "terraform binary and deploy/terraform. DIR holds terraform.tfvars.json from",
      "'skyplane plan ... --emit-terraform DIR'; the state is kept in DIR. Credentials come from each",
      "cloud's own environment (AWS profile, gcloud login, az login), never from skyplane."
    })
final class DeployCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "Deployment directory (from --emit-terraform).")
  Path dir;

  @Option(names = "--source-bucket", paramLabel = "NAME", defaultValue = "", description = "Bucket the VMs may read.")
  String sourceBucket;

  @Option(names = "--destination-bucket", paramLabel = "NAME", defaultValue = "", description = "Bucket the VMs may write.")
  String destinationBucket;

  @Mixin DeployOptions deploy;

  @Spec CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    Terraform terraform = deploy.terraform.on(dir);
    try {
      Map<String, Object> variables = deploy.variables(sourceBucket, destinationBucket);
      terraform.check();
      terraform.writeOperatorVariables(variables);
    } catch (IllegalArgumentException e) {
      err.println("skyplane deploy: error: " + e.getMessage());
      return SkyplaneCli.EXIT_BAD_INPUT;
    }
    if (terraform.init(err) != 0 || terraform.apply(err) != 0) {
      err.println("skyplane deploy: error: terraform failed (see above); remove what was created with: skyplane teardown " + dir);
      return SkyplaneCli.EXIT_JOB_FAILED;
    }
    out.println("Deployed; JobManager REST: " + terraform.outputs().path("jobmanager_rest_url").path("value").asText());
    out.println("Tear down with: skyplane teardown " + dir);
    return SkyplaneCli.EXIT_OK;
  }
}
