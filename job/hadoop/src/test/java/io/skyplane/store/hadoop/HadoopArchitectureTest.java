package io.skyplane.store.hadoop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The house rule for stores (job's ArchitectureTest), on this module's classes. */
class HadoopArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.skyplane.store.hadoop");

  @Test
  void neverDependsOnTheJobOrFlink() {
    noClasses().that().resideInAPackage("io.skyplane.store.hadoop..")
        .should().dependOnClassesThat().resideInAnyPackage("io.skyplane.job..", "org.apache.flink..")
        .check(CLASSES);
  }

  @Test
  void theFactoryNeverLinksAgainstHadoop() {
    // serves() and open()'s missing-Hadoop check run without Hadoop on the classpath.
    noClasses().that().haveSimpleName("HadoopStoreFactory")
        .should().dependOnClassesThat().resideInAPackage("org.apache.hadoop..")
        .check(CLASSES);
  }
}
