package io.skyplane.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.job.testing.Cli;
import io.skyplane.job.testing.TestPlans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cp --deploy} and {@code --jobmanager} refuse bad input with exit 2 before anything is created. */
class DeployFlowOptionsTest {
  @TempDir Path tmp;
  Path src;
  Path dst;
  Path dir;
  Path module;
  Path plan;

  @BeforeEach
  void setUp() throws Exception {
    src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("a"), "a");
    dst = tmp.resolve("dst");
    dir = tmp.resolve("deploy");
    module = Files.createDirectories(tmp.resolve("module"));
    Files.writeString(module.resolve("variables.tf"), "");
    plan = TestPlans.write(TestPlans.relayed(1, 1, 1, 1), tmp.resolve("plan.json"));
  }

  private Cli cp(String... extra) {
    List<String> args = new ArrayList<>(List.of("cp", "-r", src.toString(), dst.toString()));
    args.addAll(List.of(extra));
    if (args.contains("--deploy")) {
      args.addAll(List.of("--module", module.toString()));
    }
    if (args.contains("--deploy") && !args.contains("--terraform")) {
      args.addAll(List.of("--terraform", "true")); // 'true version' succeeds: a binary that is there
    }
    return Cli.run(args.toArray(String[]::new));
  }

  private void assertRefused(Cli cli, String message) {
    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
    assertThat(cli.errLines()).as(cli.toString()).hasSize(1);
    assertThat(cli.err()).contains(message);
    assertThat(dir.resolve("terraform.tfvars.json")).doesNotExist();
    assertThat(dst).doesNotExist();
  }

  @Test
  void deployNeedsAPlan() {
    assertRefused(cp("--deploy", dir.toString(), "--operator-cidr", "127.0.0.1/32"), "--deploy needs a plan");
  }

  @Test
  void deployNeedsANarrowOperatorCidr() {
    assertRefused(cp("--deploy", dir.toString(), "--plan", plan.toString()), "needs --operator-cidr");
    assertRefused(cp("--deploy", dir.toString(), "--plan", plan.toString(), "--operator-cidr", "0.0.0.0/0"),
        "not the whole internet");
    assertRefused(cp("--deploy", dir.toString(), "--plan", plan.toString(), "--operator-cidr", "10.0.0.1"),
        "--operator-cidr");
  }

  @Test
  void deployOptionsNeedDeploy() {
    assertRefused(cp("--keep-cluster"), "need --deploy DIR");
    assertRefused(cp("--operator-cidr", "127.0.0.1/32"), "need --deploy DIR");
    assertRefused(cp("--module", module.toString()), "need --deploy DIR");
  }

  @Test
  void deployAndJobManagerExcludeEachOther() {
    assertRefused(cp("--deploy", dir.toString(), "--plan", plan.toString(), "--operator-cidr", "127.0.0.1/32",
        "--jobmanager", "http://127.0.0.1:8081"), "either --deploy or --jobmanager");
  }

  @Test
  void badTimeoutTtlAndBinaryAreRefused() {
    String[] base = {"--deploy", dir.toString(), "--plan", plan.toString(), "--operator-cidr", "127.0.0.1/32"};
    assertRefused(cp(concat(base, "--deploy-timeout", "0s")), "--deploy-timeout must be between 1s and 24h, got '0s'");
    assertRefused(cp(concat(base, "--ttl", "0")), "--ttl must be between 10 and 10080, got 0");
    assertRefused(cp(concat(base, "--terraform", "/nonexistent/terraform")), "cannot run terraform");
  }

  @Test
  void aDirectoryHoldingADeploymentIsRefused() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("terraform.tfstate"), "{\"version\":4,\"resources\":[{\"type\":\"terraform_data\"}]}");
    Cli cli = cp("--deploy", dir.toString(), "--plan", plan.toString(), "--operator-cidr", "127.0.0.1/32");
    assertRefused(cli, "skyplane teardown " + dir);
  }

  @Test
  void jobManagerMustBeAnHttpUrl() {
    assertRefused(cp("--jobmanager", "ftp://10.0.0.5:8081"), "--jobmanager must be a URL");
    assertRefused(cp("--jobmanager", "http://10.0.0.5"), "--jobmanager must be a URL");
  }

  private static String[] concat(String[] base, String... more) {
    List<String> all = new ArrayList<>(List.of(base));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
