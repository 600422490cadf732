package io.skyplane.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.planner.cli.PlanCommandLine;
import io.skyplane.planner.io.PlanJson;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The planner is a pure library: no solver or Flink type in its public API, no Flink on its path. */
class PublicApiTest {

  private static final List<Class<?>> API = List.of(Planner.class, PlanRequest.class, Goal.class,
      Goal.MinCost.class, Goal.MaxThroughput.class, Constraints.class, TransferPlan.class,
      TransferPlan.Node.class, TransferPlan.Edge.class, TransferPlan.Path.class, TransferPlan.Figures.class,
      PlannerInputs.class, InfeasiblePlanException.class, PlanJson.class, PlanCommandLine.class,
      io.skyplane.planner.solver.OverlayPlanner.class);

  @Test
  void publicSignaturesMentionNoSolverTypes() {
    for (Class<?> type : API) {
      for (Method m : type.getDeclaredMethods()) {
        if (!Modifier.isPublic(m.getModifiers())) {
          continue;
        }
        String signature = m.toGenericString();
        assertThat(signature).as(type.getName()).doesNotContain("com.google.ortools").doesNotContain("org.apache.flink");
      }
      Arrays.stream(type.getRecordComponents() == null ? new java.lang.reflect.RecordComponent[0] : type.getRecordComponents())
          .forEach(c -> assertThat(c.getGenericType().getTypeName()).doesNotContain("com.google.ortools"));
    }
  }

  @Test
  void flinkIsNotOnThePlannersClasspath() {
    assertThatThrownBy(() -> Class.forName("org.apache.flink.api.common.JobID"))
        .isInstanceOf(ClassNotFoundException.class);
  }
}
