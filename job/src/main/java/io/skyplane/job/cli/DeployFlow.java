package io.skyplane.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyplane.job.plan.ClusterRegions;
import io.skyplane.job.plan.Route;
import io.skyplane.job.transfer.ClusterTarget;
import io.skyplane.job.transfer.Location;
import io.skyplane.job.transfer.ShutdownSteps;
import io.skyplane.job.transfer.TransferRunner;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.planner.TransferPlan;
import io.skyplane.planner.io.TerraformVariables;
import io.skyplane.planner.price.NetworkTier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cp/sync --deploy DIR}: one command for plan, deploy, run, verify, teardown. Writes the
 * plan's Terraform variables into DIR, creates the cluster with {@code terraform apply}, waits until
 * its REST API lists the plan's TaskManagers in every region, runs the transfer there (the job
 * verifies every object end to end), and destroys the cluster: after success, after a failed
 * transfer or deploy, and when the client is stopped (Ctrl-C, SIGTERM: the job is cancelled first,
 * then the cluster is destroyed, in one shutdown hook).
 */
final class DeployFlow {
  private static final Duration POLL = Duration.ofSeconds(1);

  /** The options of the flow (a picocli mixin of cp and sync). */
  static final class Options {
    @Option(names = "--deploy", paramLabel = "DIR",
        description = "Deploy the plan's cluster with Terraform (state in DIR), run the transfer on it, and tear it"
            + " down again, also on failure and Ctrl-C. Needs --plan or --planner and --operator-cidr.")
    Path dir;

    @Option(names = "--keep-cluster", description = "With --deploy: leave the cluster running afterwards.")
    boolean keepCluster;

    @Option(names = "--deploy-timeout", paramLabel = "DURATION", defaultValue = "15min",
        description = "With --deploy: how long to wait for the TaskManagers of every region, 1s..24h"
            + " (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Mixin DeployOptions deploy;

    /**
     * The flow of {@code command} ("cp", "sync") from SRC to DST, or null without --deploy. Checks
     * everything that does not need the stores: IllegalArgumentException on bad input.
     */
    @Nullable
    DeployFlow prepare(String command, TransferOptions transfer, Location from, Location to, PrintWriter out,
        PrintWriter err) {
      if (dir == null) {
        if (keepCluster || deploy.operatorCidr != null || deploy.terraform.module != null) {
          throw new IllegalArgumentException("--keep-cluster, --operator-cidr and --module need --deploy DIR");
        }
        return null;
      }
      if (!transfer.hasPlan()) {
        throw new IllegalArgumentException("--deploy needs a plan: give --plan FILE or --planner KIND");
      }
      if (transfer.jobManager != null) {
        throw new IllegalArgumentException("give either --deploy or --jobmanager, not both");
      }
      Duration wait = Durations.parse(timeout, "--deploy-timeout", Duration.ofSeconds(1), Duration.ofHours(24));
      Map<String, Object> variables = deploy.variables(bucket(from), bucket(to));
      Terraform terraform = deploy.terraform.on(dir);
      terraform.checkTool();
      try {
        if (terraform.deployed()) {
          throw new IllegalArgumentException(dir + " holds a deployment that was not torn down;"
              + " run: skyplane teardown " + dir);
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the state in " + dir + ": " + e.getMessage(), e);
      }
      Path jar = TransferOptions.jobJar();
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("--deploy submits " + jar + ", which does not exist"
            + " (build it with: mvn -q -pl job -am package -DskipTests)");
      }
      return new DeployFlow("skyplane " + command, dir, terraform, variables, wait, keepCluster, jar, out, err);
    }

    /** The bucket a location names, as the Terraform variables take it ("" for files). */
    private static String bucket(Location location) {
      return location.isLocal() || location.store().bucket() == null ? ""
          : location.store().scheme() + "://" + location.store().bucket();
    }
  }

  /** The transfer on the deployed cluster; returns the command's exit code. */
  interface Transfer {
    int run(TransferSpec spec, ClusterTarget target) throws Exception;
  }

  private final String name;
  private final Path dir;
  private final Terraform terraform;
  private final Map<String, Object> operatorVariables;
  private final Duration timeout;
  private final boolean keep;
  private final Path jar;
  private final PrintWriter out;
  private final PrintWriter err;
  private Boolean tornDown;

  private DeployFlow(String name, Path dir, Terraform terraform, Map<String, Object> operatorVariables,
      Duration timeout, boolean keep, Path jar, PrintWriter out, PrintWriter err) {
    this.name = name;
    this.dir = dir;
    this.terraform = terraform;
    this.operatorVariables = Map.copyOf(operatorVariables);
    this.timeout = timeout;
    this.keep = keep;
    this.jar = jar;
    this.out = out;
    this.err = err;
  }

  /**
   * Deploys {@code plan}'s cluster, runs {@code transfer} on it with {@code spec} fitted to its
   * TaskManagers, and tears it down; the exit code: the transfer's, 2 when DIR cannot be written
   * (nothing created), 3 when the deploy or the teardown failed.
   */
  int run(TransferPlan plan, TransferSpec spec, Transfer transfer) {
    try {
      TerraformVariables.write(plan, "skyplane-" + spec.transferId(), NetworkTier.PREMIUM, dir);
      terraform.writeOperatorVariables(operatorVariables);
    } catch (IOException e) {
      err.println(name + ": error: cannot write the Terraform variables to " + dir + ": " + e.getMessage());
      return SkyplaneCli.EXIT_BAD_INPUT;
    }
    // registered until the teardown is done: a Ctrl-C during the teardown waits for it
    try (ShutdownSteps.Step interrupted = ShutdownSteps.add("tear down " + dir, this::onShutdown)) {
      return finish(deployAndRun(spec, transfer));
    }
  }

  private int deployAndRun(TransferSpec spec, Transfer transfer) {
    ClusterTarget target;
    TransferSpec fitted;
    try {
      if (terraform.init(err) != 0 || terraform.apply(err) != 0) {
        err.println(name + ": error: deploying the cluster failed (terraform, see above)");
        return SkyplaneCli.EXIT_JOB_FAILED;
      }
      JsonNode outputs = terraform.outputs();
      target = ClusterTarget.remote(outputs.path("jobmanager_rest_url").path("value").asText(), jar);
      awaitTaskManagers(target, expected(outputs));
      fitted = TransferRunner.checkRegions(spec, target, err);
    } catch (IOException | IllegalArgumentException e) {
      err.println(name + ": error: deploying the cluster failed: " + CopyCommand.message(e));
      return SkyplaneCli.EXIT_JOB_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println(name + ": error: interrupted while deploying");
      return SkyplaneCli.EXIT_JOB_FAILED;
    }
    out.println("Cluster up: " + target.rest() + " (" + dir + ")");
    out.flush();
    try {
      return transfer.run(fitted, target);
    } catch (Exception e) {
      err.println(name + ": error: " + TransferRunner.rootMessage(e));
      return SkyplaneCli.EXIT_JOB_FAILED;
    }
  }

  /** TaskManagers per region id, from the module's {@code taskmanagers} output. */
  private static Map<String, Integer> expected(JsonNode outputs) throws IOException {
    JsonNode counts = outputs.path("taskmanagers").path("value");
    if (!counts.isObject() || counts.size() == 0) {
      throw new IOException("the Terraform module has no 'taskmanagers' output");
    }
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (Iterator<String> regions = counts.fieldNames(); regions.hasNext(); ) {
      String region = regions.next();
      expected.put(region, counts.path(region).asInt());
    }
    return expected;
  }

  /**
   * Waits until the REST API answers and lists, per region, the TaskManagers expected; IOException
   * naming the regions short of them after the timeout.
   */
  private void awaitTaskManagers(ClusterTarget target, Map<String, Integer> expected)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "the REST API at " + target.rest() + " did not answer";
    while (true) {
      try {
        Map<String, List<String>> registered = ClusterRegions.taskManagers(target.rest());
        List<String> missing = new ArrayList<>();
        expected.forEach((region, count) -> {
          int have = registered.getOrDefault(Route.resourceName(region), List.of()).size();
          if (have < count) {
            missing.add(region + " (" + have + " of " + count + ")");
          }
        });
        if (missing.isEmpty()) {
          return;
        }
        last = "TaskManagers missing in " + String.join(", ", missing);
      } catch (IOException e) {
        last = "the REST API at " + target.rest() + " did not answer: " + e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("not ready after " + timeout.toSeconds() + " s" + ": " + last);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Tears down unless kept; the exit code with the teardown's failure folded in. */
  private int finish(int code) {
    return tornDown() ? code : SkyplaneCli.EXIT_JOB_FAILED;
  }

  /**
   * Runs terraform destroy (unless kept) and reports it, once: the main thread and the shutdown
   * hook may both get here, the second gets the first one's outcome. False if the teardown failed.
   */
  private synchronized boolean tornDown() {
    if (tornDown == null) {
      if (keep) {
        out.println("Cluster kept (--keep-cluster); tear it down with: skyplane teardown " + dir);
        tornDown = true;
      } else {
        tornDown = destroy() == 0;
        if (tornDown) {
          out.println("Cluster torn down (" + dir + ")");
        } else {
          err.println(name + ": error: tearing down the cluster failed (see above); run: skyplane teardown " + dir);
        }
      }
      out.flush();
      err.flush();
    }
    return tornDown;
  }

  private int destroy() {
    try {
      return terraform.destroy(err);
    } catch (IOException | RuntimeException e) {
      err.println(name + ": error: terraform destroy: " + CopyCommand.message(e));
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /**
   * The shutdown step (Ctrl-C, SIGTERM), after the job's own (cancel, clean up): stops a running
   * terraform command, then tears down; halts with exit code 3 if the teardown failed.
   */
  private void onShutdown() {
    err.println(name + ": stopping: " + (keep ? "the cluster is kept" : "tearing down the cluster in " + dir));
    err.flush();
    try {
      terraform.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!tornDown()) {
      Runtime.getRuntime().halt(SkyplaneCli.EXIT_JOB_FAILED);
    }
  }
}
