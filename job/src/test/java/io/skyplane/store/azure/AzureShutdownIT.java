package io.skyplane.store.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobServiceClientBuilder;
import io.skyplane.testing.servers.AzuriteExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a JVM that is copying into Azure: its own shutdown hook aborts the pending uploads
 * with the same store, and the JVM exits within 10 s. (Before: azure-core's shutdown hook stopped the
 * executor its HTTP client needs, and the hook's calls and the main thread's hung forever.)
 */
class AzureShutdownIT {
  @RegisterExtension static final AzuriteExtension AZURE = AzuriteExtension.shared();

  @Test
  void callsInOurShutdownHookCompleteAndTheJvmExits(@TempDir Path dir) throws Exception {
    String container = "shutdown";
    new BlobServiceClientBuilder().connectionString(AZURE.endpoint().connectionString()).buildClient()
        .createBlobContainer(container);
    Path progress = dir.resolve("progress");
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-Djava.io.tmpdir=" + dir, "-cp", classpath, AzureShutdownChild.class.getName(),
        progress.toString(), AZURE.endpoint().accountName(), container))
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
    builder.environment().put("SHUTDOWN_TEST_CONNECTION", AZURE.endpoint().connectionString());
    Process child = builder.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!lines(progress).contains("ready")) {
        assertThat(child.isAlive()).as("the child died: %s", log(dir)).isTrue();
        assertThat(System.nanoTime()).as("the child is not ready").isLessThan(deadline);
        Thread.sleep(100);
      }
      Thread.sleep(2000); // copying: uploads in flight and pending

      long sent = System.nanoTime();
      child.destroy(); // SIGTERM
      boolean exited = child.waitFor(10, TimeUnit.SECONDS);
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);

      assertThat(exited).as("the JVM exits within 10 s of SIGTERM; progress: %s", lines(progress)).isTrue();
      assertThat(lines(progress)).as("took %d ms", tookMillis)
          .containsExactly("ready", "hook started", "hook aborted the pending uploads", "hook done");
    } finally {
      child.destroyForcibly();
    }
  }

  private static List<String> lines(Path file) throws Exception {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  private static String log(Path dir) throws Exception {
    File log = dir.resolve("child.log").toFile();
    return log.exists() ? Files.readString(log.toPath()) : "";
  }
}
