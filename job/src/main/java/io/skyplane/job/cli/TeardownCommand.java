package io.skyplane.job.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skyplane teardown DIR}: destroys what {@code skyplane deploy DIR} created. */
@Command(name = "teardown", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Destroy every resource 'skyplane deploy DIR' created (terraform destroy with DIR's state).")
final class TeardownCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "Deployment directory.")
  Path dir;

  @Mixin Terraform.Options terraformOptions;

  @Spec CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = command.commandLine().getErr();
    Terraform terraform = terraformOptions.on(dir);
    int code;
    try {
      terraform.check();
      code = terraform.destroy(err);
    } catch (IllegalArgumentException e) {
      err.println("skyplane teardown: error: " + e.getMessage());
      return SkyplaneCli.EXIT_BAD_INPUT;
    }
    if (code != 0) {
      err.println("skyplane teardown: error: terraform destroy failed (see above); run it again");
      return SkyplaneCli.EXIT_JOB_FAILED;
    }
    command.commandLine().getOut().println("Torn down: " + dir);
    return SkyplaneCli.EXIT_OK;
  }
}
