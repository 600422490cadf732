package io.skyplane.e2e;

import io.skyplane.job.testing.Trees;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/** A source tree of mixed files, and byte-for-byte comparison of trees. */
final class Tree {
  private Tree() {}

  static Path build(Path root) throws IOException {
    Random random = new Random(3);
    write(root.resolve("empty"), new byte[0]);
    byte[] big = new byte[(9 << 20) + 17];
    random.nextBytes(big);
    write(root.resolve("blobs/big.bin"), big);
    write(root.resolve("logs/app.log"), "GET /index.html 200 1532 0.003\n".repeat(200_000).getBytes());
    for (int i = 0; i < 300; i++) {
      byte[] small = new byte[random.nextInt(4096) + 1];
      random.nextBytes(small);
      write(root.resolve("small/" + (i % 7) + "/f" + i), small);
    }
    return root;
  }

  /** {@code count} random files of 1-4 KiB in 100 directories under {@code root}; their total size. */
  static long smallFiles(Path root, int count, long seed) throws IOException {
    Random random = new Random(seed);
    long total = 0;
    for (int dir = 0; dir < 100; dir++) {
      Files.createDirectories(root.resolve("d" + dir));
    }
    for (int i = 0; i < count; i++) {
      byte[] data = new byte[1024 + random.nextInt(3 * 1024 + 1)];
      random.nextBytes(data);
      Files.write(root.resolve("d" + (i % 100) + "/f" + i), data);
      total += data.length;
    }
    return total;
  }

  /**
   * The number of regular files under {@code root} outside its {@code .skyplane-tmp/} (0 if it is
   * missing); files that vanish while it counts (a copy is running) are skipped.
   */
  static long countFiles(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    long[] count = {0};
    Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
        return dir.equals(root.resolve(".skyplane-tmp"))
            ? java.nio.file.FileVisitResult.SKIP_SUBTREE : java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
        if (a.isRegularFile()) {
          count[0]++;
        }
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
        return java.nio.file.FileVisitResult.CONTINUE;
      }
    });
    return count[0];
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  static Map<String, String> digests(Path root) throws IOException {
    return Trees.digests(root);
  }

  /** The SHA-256 of what {@code in} reads (closed afterwards), in hex. */
  static String sha256(InputStream in) throws IOException {
    try (in) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
