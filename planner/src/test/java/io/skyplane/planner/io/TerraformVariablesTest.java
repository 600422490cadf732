package io.skyplane.planner.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.planner.TransferPlan;
import io.skyplane.planner.price.NetworkTier;
import io.skyplane.planner.region.RegionId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The planner's {@code --emit-terraform} file against what {@code deploy/terraform}'s root module
 * declares: every emitted variable is declared with a matching type (the regions' object attributes
 * included), and every declared variable without a default is emitted or given at deploy time.
 */
class TerraformVariablesTest {
  private static final Path VARIABLES = Path.of("..", "deploy", "terraform", "variables.tf");
  /** Given by 'skyplane deploy', not by the plan. */
  private static final Set<String> AT_DEPLOY = Set.of("operator_cidr", "source_bucket", "destination_bucket",
      "ttl_minutes", "spot", "gcp_project", "azure_subscription_id");
  private static final Pattern VARIABLE = Pattern.compile("variable\\s+\"([a-z_0-9]+)\"\\s*\\{");

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"aws:us-east-1,aws:us-west-2", "aws:us-east-1,gcp:europe-west4,gcp:us-central1",
      "aws:us-east-1,azure:westeurope,gcp:europe-west4"})
  void emittedVariablesMatchTheRootModulesDeclarations(String regions) throws Exception {
    TransferPlan plan = plan(List.of(regions.split(",")));
    Path file = TerraformVariables.write(plan, "skyplane-test1", NetworkTier.STANDARD, tmp.resolve("deploy"));
    JsonNode emitted = new ObjectMapper().readTree(file.toFile());
    Map<String, Declared> declared = declarations(Files.readString(VARIABLES));

    for (Iterator<Map.Entry<String, JsonNode>> it = emitted.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> variable = it.next();
      Declared declaration = declared.get(variable.getKey());
      assertThat(declaration).as("variable %s is not declared in %s", variable.getKey(), VARIABLES).isNotNull();
      assertMatches(variable.getKey(), declaration.type(), variable.getValue());
    }
    for (Map.Entry<String, Declared> declaration : declared.entrySet()) {
      if (!declaration.getValue().hasDefault()) {
        assertThat(emitted.has(declaration.getKey()) || AT_DEPLOY.contains(declaration.getKey()))
            .as("required variable %s is neither emitted nor given at deploy", declaration.getKey()).isTrue();
      }
    }
    assertThat(emitted.get("regions")).hasSize(regions.split(",").length);
    assertThat(emitted.get("gcp_network_tier").asText()).isEqualTo("STANDARD");
    assertThat(emitted.get("jobmanager_region").asText()).isEqualTo(regions.split(",")[0]);
    assertThat(emitted.toString()).doesNotContainIgnoringCase("secret").doesNotContainIgnoringCase("password");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bad_Id", "", "1abc", "a-transfer-id-that-is-longer-than-forty-c"})
  void refusesTransferIdsThatCannotBeLabels(String id) {
    TransferPlan plan = plan(List.of("aws:us-east-1", "aws:us-west-2"));
    assertThatThrownBy(() -> TerraformVariables.of(plan, id, NetworkTier.PREMIUM))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transfer id");
  }

  private static void assertMatches(String name, String type, JsonNode value) {
    String t = type.replaceAll("\\s+", "");
    if (t.equals("string")) {
      assertThat(value.isTextual()).as("%s: %s for %s", name, value, type).isTrue();
    } else if (t.equals("number")) {
      assertThat(value.isNumber()).as("%s: %s for %s", name, value, type).isTrue();
    } else if (t.equals("bool")) {
      assertThat(value.isBoolean()).as("%s: %s for %s", name, value, type).isTrue();
    } else if (t.startsWith("list(object({") && t.endsWith("}))")) {
      Map<String, String> attributes = new LinkedHashMap<>();
      for (String attribute : t.substring("list(object({".length(), t.length() - 3).split(",")) {
        String[] kv = attribute.split("=", 2);
        attributes.put(kv[0], kv[1]);
      }
      assertThat(value.isArray()).as(name).isTrue();
      for (JsonNode element : value) {
        List<String> keys = new ArrayList<>();
        element.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("%s attributes", name).containsExactlyInAnyOrderElementsOf(attributes.keySet());
        attributes.forEach((key, attributeType) -> assertMatches(name + "." + key, attributeType, element.get(key)));
      }
    } else {
      throw new AssertionError(name + ": type " + type + " is not one this test knows");
    }
  }

  private record Declared(String type, boolean hasDefault) {}

  /** The variable blocks of a variables.tf: name, type expression, whether it has a default. */
  static Map<String, Declared> declarations(String hcl) {
    Map<String, Declared> declared = new LinkedHashMap<>();
    Matcher m = VARIABLE.matcher(hcl);
    while (m.find()) {
      int start = m.end();
      int depth = 1;
      int at = start;
      while (depth > 0) {
        char c = hcl.charAt(at++);
        depth += c == '{' ? 1 : c == '}' ? -1 : 0;
      }
      String body = hcl.substring(start, at - 1);
      Matcher type = Pattern.compile("(?m)^\\s*type\\s*=\\s*").matcher(body);
      if (!type.find()) {
        throw new AssertionError("variable " + m.group(1) + " has no type");
      }
      int end = type.end();
      int nesting = 0;
      StringBuilder expression = new StringBuilder();
      for (; end < body.length(); end++) {
        char c = body.charAt(end);
        if (c == '\n' && nesting == 0) {
          break;
        }
        nesting += "({[".indexOf(c) >= 0 ? 1 : ")}]".indexOf(c) >= 0 ? -1 : 0;
        expression.append(c);
      }
      boolean hasDefault = Pattern.compile("(?m)^\\s*default\\s*=").matcher(body).find();
      declared.put(m.group(1), new Declared(expression.toString().trim(), hasDefault));
    }
    return declared;
  }

  private static TransferPlan plan(List<String> regions) {
    List<TransferPlan.Node> nodes = new ArrayList<>();
    for (int i = 0; i < regions.size(); i++) {
      String role = i == 0 ? "source" : i == regions.size() - 1 ? "destination" : "relay";
      nodes.add(new TransferPlan.Node(RegionId.parse(regions.get(i)), role, "vm-type-" + i, 2, 4));
    }
    List<RegionId> hops = regions.stream().map(RegionId::parse).toList();
    TransferPlan.Figures figures = new TransferPlan.Figures(10, 100, 120, 2 * regions.size(), 1, 1);
    return new TransferPlan("min-cost", "test", hops.get(0), List.of(hops.get(hops.size() - 1)), 100, nodes,
        List.of(), List.of(new TransferPlan.Path(hops, 1, 10)), figures, null, false, "test");
  }
}
