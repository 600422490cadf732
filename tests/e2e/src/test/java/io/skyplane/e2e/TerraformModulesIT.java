package io.skyplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What can be proven about {@code deploy/terraform} without a cloud: formatting, the generated AWS
 * region file is current, the static security check passes on the modules and finds every planted
 * problem in a bad fixture, and {@code skyplane plan --emit-terraform} + {@code skyplane deploy}
 * refuse bad input before calling Terraform.
 */
class TerraformModulesIT {
  private static final Path TERRAFORM = Proc.ROOT.resolve("deploy/terraform");

  @TempDir Path tmp;

  @Test
  void modulesAreFormatted() throws Exception {
    assumeTrue(Proc.onPath("terraform"), "terraform is not installed: formatting not checked");
    Proc fmt = Proc.run(Proc.ROOT, Map.of(), List.of("terraform", "fmt", "-check", "-recursive", TERRAFORM.toString()));
    assertThat(fmt.exitCode()).as(fmt.toString()).isZero();
  }

  @Test
  void generatedAwsRegionsAreCurrent() throws Exception {
    Proc check = Proc.run(Proc.ROOT, Map.of(), List.of("bash", TERRAFORM.resolve("tools/gen-aws-regions.sh").toString(), "--check"));
    assertThat(check.exitCode()).as(check.toString()).isZero();
  }

  @Test
  void securityCheckPassesOnTheModulesAndCatchesABadFixture() throws Exception {
    Proc modules = Proc.run(Proc.ROOT, Map.of(), List.of("bash", TERRAFORM.resolve("tools/check-security.sh").toString()));
    Proc bad = Proc.run(Proc.ROOT, Map.of(), List.of("bash", TERRAFORM.resolve("tools/check-security.sh").toString(),
        TERRAFORM.resolve("tools/testdata/bad").toString()));

    assertThat(modules.exitCode()).as(modules.toString()).isZero();
    assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(1);
    String findings = bad.out() + bad.err();
    assertThat(findings).contains("0.0.0.0/0").contains("8081");
    assertThat(findings.lines().count()).as(findings).isGreaterThanOrEqualTo(5);
  }

  @Test
  void planEmitsVariablesAndDeployRefusesBadInputBeforeCallingTerraform() throws Exception {
    Path dir = tmp.resolve("deploy");
    Proc plan = Proc.run(tmp, Map.of(), List.of(Proc.ROOT.resolve("bin/skyplane").toString(), "plan",
        "aws:us-east-1", "gcp:europe-west4", "--volume", "100GB", "--emit-terraform", dir.toString()));
    assertThat(plan.exitCode()).as(plan.toString()).isZero();
    assertThat(dir.resolve("terraform.tfvars.json")).exists();
    assertThat(Files.readString(dir.resolve("terraform.tfvars.json"))).contains("\"regions\"").contains("gcp:europe-west4");

    Proc world = Proc.run(tmp, Map.of(), List.of(Proc.ROOT.resolve("bin/skyplane").toString(), "deploy", dir.toString(),
        "--operator-cidr", "0.0.0.0/0", "--module", TERRAFORM.toString(), "--terraform", "terraform"));
    Proc noPlan = Proc.run(tmp, Map.of(), List.of(Proc.ROOT.resolve("bin/skyplane").toString(), "deploy",
        tmp.resolve("empty").toString(), "--operator-cidr", "203.0.113.7/32", "--module", TERRAFORM.toString()));
    Proc noBinary = Proc.run(tmp, Map.of(), List.of(Proc.ROOT.resolve("bin/skyplane").toString(), "deploy", dir.toString(),
        "--operator-cidr", "203.0.113.7/32", "--module", TERRAFORM.toString(), "--terraform", "/nonexistent/terraform"));

    for (Proc refused : List.of(noPlan, noBinary)) {
      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
      assertThat(refused.errLines()).as(refused.toString()).hasSize(1);
    }
    assertThat(noPlan.err()).contains("--emit-terraform");
    assertThat(noBinary.err()).contains("cannot run terraform");
    if (Proc.onPath("terraform")) {
      assertThat(world.exitCode()).as(world.toString()).isEqualTo(2);
      assertThat(world.err()).contains("--operator-cidr");
    }
    assertThat(dir.resolve("terraform.tfstate")).doesNotExist();
  }

}
