package io.skyplane.store.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.store.StoreFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The factory in a class loader that holds only the store contract and this module's classes, as
 * under a launcher without target/hadoop-lib: it still serves its schemes, and open fails with one
 * line that names the missing jars.
 */
class WithoutHadoopTest {
  @Test
  void servesWithoutHadoopAndOpenSaysWhatIsMissing() throws Exception {
    URL contract = StoreFactory.class.getProtectionDomain().getCodeSource().getLocation();
    URL adapter = HadoopStoreFactory.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader bare = new URLClassLoader(new URL[] {contract, adapter}, ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> bare.loadClass("org.apache.hadoop.fs.FileSystem"))
          .isInstanceOf(ClassNotFoundException.class);
      Class<?> factoryClass = bare.loadClass(HadoopStoreFactory.class.getName());
      Object factory = factoryClass.getConstructor().newInstance();
      Class<?> factoryInterface = bare.loadClass(StoreFactory.class.getName());
      Method serves = factoryInterface.getMethod("serves", String.class);
      assertThat(serves.invoke(factory, "s3a")).isEqualTo(true);
      assertThat(serves.invoke(factory, "hadoop:gs")).isEqualTo(true);
      assertThat(serves.invoke(factory, "s3")).isEqualTo(false);

      Class<?> specClass = bare.loadClass("io.skyplane.store.StoreSpec");
      Object spec = specClass.getConstructor(String.class, String.class, Map.class)
          .newInstance("s3a", "bucket", Map.of());
      Method open = factoryInterface.getMethod("open", specClass);
      Throwable failure = null;
      try {
        open.invoke(factory, spec);
      } catch (InvocationTargetException e) {
        failure = e.getCause();
      }
      assertThat(failure).isNotNull();
      assertThat(failure.getClass().getName()).isEqualTo("io.skyplane.store.StoreException");
      assertThat(failure.getClass().getMethod("kind").invoke(failure).toString()).isEqualTo("FATAL");
      assertThat(failure.getMessage())
          .startsWith("cannot open s3a://bucket: Hadoop is not on the classpath")
          .contains("hadoop-client-api and hadoop-client-runtime").contains("README.md").doesNotContain("\n");
    }
  }
}
