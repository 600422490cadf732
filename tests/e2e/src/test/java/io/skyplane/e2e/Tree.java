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
