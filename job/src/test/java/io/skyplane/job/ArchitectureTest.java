package io.skyplane.job;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Dependency rules of the house style, checked on the compiled classes. */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.skyplane");

  @Test
  void storesNeverDependOnTheJob() {
    noClasses().that().resideInAPackage("io.skyplane.store..")
        .should().dependOnClassesThat().resideInAPackage("io.skyplane.job..")
        .check(CLASSES);
  }

  @Test
  void storesNeverDependOnFlink() {
    noClasses().that().resideInAPackage("io.skyplane.store..")
        .should().dependOnClassesThat().resideInAPackage("org.apache.flink..")
        .check(CLASSES);
  }

  @Test
  void thePlannerNeverDependsOnFlinkOrTheJob() {
    noClasses().that().resideInAPackage("io.skyplane.planner..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "io.skyplane.job..")
        .check(CLASSES);
  }
}
