package io.skyplane.testing.servers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds the programs the servers run: the S3Proxy jar, Azurite, the GCS server's classes. */
final class Artifacts {
  static final String S3PROXY_VERSION = "4.1.0";
  private static final String S3PROXY_IN_MODULE = "tests/servers/target/s3proxy/s3proxy.jar";
  private static final String AZURITE_IN_REPO = "tests/servers/azurite";
  private static final String AZURITE_MAIN = "node_modules/azurite/dist/src/blob/main.js";

  private Artifacts() {}

  /**
   * The S3Proxy fat jar: system property {@code skyplane.s3proxy.jar}, env
   * {@code SKYPLANE_S3PROXY_JAR}, the copy `mvn verify` puts in this module's target, or the local
   * Maven repository.
   */
  static Path s3proxyJar() {
    Path configured = configured("skyplane.s3proxy.jar", "SKYPLANE_S3PROXY_JAR");
    if (configured != null && Files.isRegularFile(configured)) {
      return configured;
    }
    Path inRepo = inRepository(S3PROXY_IN_MODULE);
    if (inRepo != null) {
      return inRepo;
    }
    Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "gaul",
        "s3proxy", S3PROXY_VERSION, "s3proxy-" + S3PROXY_VERSION + "-jar-with-dependencies.jar");
    if (Files.isRegularFile(m2)) {
      return m2;
    }
    throw new IllegalStateException("S3Proxy jar not found (looked at " + configured + ", "
        + S3PROXY_IN_MODULE + " above " + Path.of("").toAbsolutePath() + ", " + m2
        + "); run `mvn -pl tests/servers -am package -DskipTests` first");
  }

  /**
   * The Azurite main script, after {@code npm ci} in the pinned folder if node_modules is missing
   * (under a file lock, so parallel test JVMs install once).
   */
  static Path azuriteMain() {
    Path dir = configured("skyplane.azurite.dir", "SKYPLANE_AZURITE_DIR");
    if (dir == null || !Files.isRegularFile(dir.resolve("package.json"))) {
      dir = inRepository(AZURITE_IN_REPO + "/package.json");
      dir = dir == null ? null : dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("Azurite package folder (" + AZURITE_IN_REPO
          + ") not found above " + Path.of("").toAbsolutePath());
    }
    Path main = dir.resolve(AZURITE_MAIN);
    if (Files.isRegularFile(main)) {
      return main;
    }
    try (FileChannel ch = FileChannel.open(dir.resolve(".npm-ci.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
      if (!Files.isRegularFile(main)) {
        npmCi(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("npm ci in " + dir + " failed", e);
    }
    return main;
  }

  /** The classpath entry (jar or classes folder) that holds the GCS server. */
  static String gcsServerClasspath() {
    try {
      return Path.of(io.skyplane.testing.gcs.GcsServer.class.getProtectionDomain().getCodeSource()
          .getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The classpath entry (jar or classes folder) of this module, which holds the fault proxy. */
  static String testServersClasspath() {
    try {
      return Path.of(io.skyplane.testing.faults.FaultProxy.class.getProtectionDomain()
          .getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void npmCi(Path dir) throws IOException {
    Path log = Files.createTempFile("npm-ci-", ".log");
    Process p = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund"))
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("npm ci in " + dir + " failed:\n" + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during npm ci", e);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static Path configured(String property, String env) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? null : Path.of(v);
  }

  /** {@code relative} under the working directory or one of its parents, if it exists. */
  private static Path inRepository(String relative) {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve(relative.replace('/', File.separatorChar));
      if (Files.exists(p)) {
        return p;
      }
    }
    return null;
  }
}
