package io.skyplane.job.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builds source trees and compares trees byte for byte (SHA-256 of every file). */
public final class Trees {
  private Trees() {}

  public static Path random(Path file, long size, long seed) throws IOException {
    Files.createDirectories(file.getParent());
    Random random = new Random(seed);
    byte[] buffer = new byte[64 * 1024];
    try (var out = Files.newOutputStream(file)) {
      long left = size;
      while (left > 0) {
        random.nextBytes(buffer);
        int n = (int) Math.min(buffer.length, left);
        out.write(buffer, 0, n);
        left -= n;
      }
    }
    return file;
  }

  public static Path text(Path file, long size) throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder text = new StringBuilder();
    int line = 0;
    while (text.length() < size) {
      text.append("line ").append(line++).append(": the quick brown fox jumps over the lazy dog\n");
    }
    Files.writeString(file, text.substring(0, (int) size), StandardCharsets.UTF_8);
    return file;
  }

  /** Relative path -> SHA-256 of every regular file under root. */
  public static Map<String, String> digests(Path root) throws IOException {
    Map<String, String> digests = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).forEach(p -> digests.put(root.relativize(p).toString(), sha256(p)));
    }
    return digests;
  }

  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void assertIdentical(Path source, Path destination) throws IOException {
    Map<String, String> expected = digests(source);
    assertThat(digests(destination)).isEqualTo(expected);
  }

  public static void assertNoTemporaryFiles(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      assertThat(walk.map(p -> p.getFileName().toString()).filter(n -> n.contains(".skyplane-")))
          .as("temporary files under %s", root).isEmpty();
    }
  }
}
