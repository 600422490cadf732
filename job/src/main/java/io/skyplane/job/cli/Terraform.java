package io.skyplane.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.planner.io.TerraformVariables;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the {@code terraform} binary on {@code deploy/terraform} for one deployment directory: the
 * planner's variables ({@code terraform.tfvars.json}), the operator's ({@code operator.tfvars.json},
 * written by deploy), the state ({@code terraform.tfstate}) and Terraform's data directory
 * ({@code .terraform}) all live in the deployment directory; the module directory stays read-only.
 */
final class Terraform {
  /** The options that say where the module and the binary are (a picocli mixin). */
  static final class Options {
    @picocli.CommandLine.Option(names = "--module", paramLabel = "DIR",
        description = "The Terraform root module (default: deploy/terraform).")
    Path module;

    @picocli.CommandLine.Option(names = "--terraform", paramLabel = "PATH", defaultValue = "terraform",
        description = "The terraform binary.")
    String binary;

    /** Terraform for deployment directory {@code dir}. */
    Terraform on(Path dir) {
      return new Terraform(binary, Terraform.module(module), dir);
    }
  }

  static final String OPERATOR_FILE = "operator.tfvars.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String binary;
  private final Path module;
  private final Path dir;
  /** The terraform process running now, if any; {@link #stop} ends it. */
  private Process running;
  private boolean runningDestroy;
  private boolean stopped;

  Terraform(String binary, Path module, Path dir) {
    this.binary = binary;
    this.module = module.toAbsolutePath().normalize();
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** The module directory: --module, else SKYPLANE_HOME/deploy/terraform, else ./deploy/terraform. */
  private static Path module(Path given) {
    if (given != null) {
      return given;
    }
    String home = System.getProperty("skyplane.home");
    return home == null ? Path.of("deploy/terraform") : Path.of(home, "deploy", "terraform");
  }

  /** Checks the directories and the binary before anything is created; IllegalArgumentException if unusable. */
  void check() {
    checkTool();
    if (!Files.isRegularFile(dir.resolve(TerraformVariables.FILE))) {
      throw new IllegalArgumentException("no " + TerraformVariables.FILE + " in " + dir
          + " (write it with: skyplane plan SRC DST --volume SIZE --emit-terraform " + dir + ")");
    }
  }

  /** Checks the module and the binary; IllegalArgumentException if unusable. */
  void checkTool() {
    if (!Files.isRegularFile(module.resolve("variables.tf"))) {
      throw new IllegalArgumentException("no Terraform root module at " + module + " (give --module DIR)");
    }
    try {
      Process version = new ProcessBuilder(binary, "version").redirectErrorStream(true).start();
      version.getInputStream().readAllBytes();
      if (version.waitFor() != 0) {
        throw new IllegalArgumentException("'" + binary + " version' failed");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot run terraform ('" + binary + "'): install it or give --terraform PATH");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException("interrupted");
    }
  }

  /** Writes what only the operator knows (no secrets: an address range, bucket and project names). */
  void writeOperatorVariables(Map<String, Object> variables) throws IOException {
    Files.writeString(dir.resolve(OPERATOR_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(variables),
        StandardCharsets.UTF_8);
  }

  int init(PrintWriter log) throws IOException, InterruptedException {
    return run(log, "init", "-input=false");
  }

  int apply(PrintWriter log) throws IOException, InterruptedException {
    return run(log, "apply", "-input=false", "-auto-approve", "-state=" + dir.resolve("terraform.tfstate"),
        "-var-file=" + dir.resolve(TerraformVariables.FILE), "-var-file=" + dir.resolve(OPERATOR_FILE));
  }

  int destroy(PrintWriter log) throws IOException, InterruptedException {
    if (!Files.isRegularFile(dir.resolve(OPERATOR_FILE))) {
      throw new IllegalArgumentException("nothing deployed from " + dir + " (no " + OPERATOR_FILE + ")");
    }
    return run(log, "destroy", "-input=false", "-auto-approve", "-state=" + dir.resolve("terraform.tfstate"),
        "-var-file=" + dir.resolve(TerraformVariables.FILE), "-var-file=" + dir.resolve(OPERATOR_FILE));
  }

  /** Whether DIR's state holds resources (a deployment not torn down). */
  boolean deployed() throws IOException {
    Path state = dir.resolve("terraform.tfstate");
    return Files.isRegularFile(state) && JSON.readTree(state.toFile()).path("resources").size() > 0;
  }

  /**
   * Ends the terraform command running now unless it is a destroy (SIGTERM: Terraform stops
   * gracefully and saves its state) and waits for it; later commands other than destroy are refused.
   */
  void stop() throws InterruptedException {
    Process process;
    synchronized (this) {
      stopped = true;
      process = runningDestroy ? null : running;
    }
    if (process != null) {
      process.destroy();
      process.waitFor();
    }
  }

  /** The root module's outputs after apply. */
  JsonNode outputs() throws IOException, InterruptedException {
    Process process = process("output", "-json", "-state=" + dir.resolve("terraform.tfstate")).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (process.waitFor() != 0) {
      throw new IOException("terraform output failed");
    }
    return JSON.readTree(out);
  }

  private int run(PrintWriter log, String... args) throws IOException, InterruptedException {
    Process process;
    synchronized (this) {
      if (stopped && !args[0].equals("destroy")) {
        log.println("terraform " + args[0] + ": not started, skyplane is stopping");
        return 1;
      }
      process = process(args).redirectErrorStream(true).start();
      running = process;
      runningDestroy = args[0].equals("destroy");
    }
    try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        log.println("terraform: " + line);
        log.flush();
      }
    }
    int code = process.waitFor();
    synchronized (this) {
      running = null;
    }
    return code;
  }

  private ProcessBuilder process(String... args) {
    List<String> command = new ArrayList<>(List.of(binary, "-chdir=" + module));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("TF_DATA_DIR", dir.resolve(".terraform").toString());
    builder.environment().put("TF_IN_AUTOMATION", "1");
    // The local module installs the job jar on the cluster's classpath, so that runs need not upload
    // it (ClusterTarget); cloud modules ignore a TF_VAR_ they do not declare. The user's value wins.
    Path jar = TransferOptions.jobJar();
    if (!builder.environment().containsKey("TF_VAR_job_jar") && Files.isRegularFile(jar)) {
      builder.environment().put("TF_VAR_job_jar", jar.toAbsolutePath().toString());
    }
    return builder;
  }
}
