package io.skyplane.job.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A bucket image for cross-store copies: the tree to copy under {@code tree/}, and decoys next to
 * it whose keys start with "tree" but are not under {@code tree/}. The tree has a 0-byte object,
 * objects of exactly one chunk, one chunk + 1 byte and three chunks (chunk = 5 MiB, the S3 minimum
 * part size), 30 small objects in nested "directories", and keys with spaces, unicode, '+', '%'
 * and '='. About 22 MiB.
 */
public final class EdgeCaseTree {
  public static final long CHUNK = 5L << 20;
  public static final String TREE = "tree";
  public static final int SMALL_OBJECTS = 30;

  private EdgeCaseTree() {}

  /** Writes the image into {@code root} (created) and returns it. */
  public static Path write(Path root) throws IOException {
    Path tree = root.resolve(TREE);
    Files.createDirectories(tree);
    Files.createFile(tree.resolve("empty.bin"));
    Trees.random(tree.resolve("exactly-one-chunk.bin"), CHUNK, 1);
    Trees.random(tree.resolve("one-chunk-plus-one.bin"), CHUNK + 1, 2);
    Trees.random(tree.resolve("multi/three-parts.bin"), 2 * CHUNK + (2L << 20) + 345, 3);
    Trees.text(tree.resolve("with space/file name.txt"), 3000);
    Trees.text(tree.resolve("unicode/日本語 ñandú é.txt"), 1234);
    Trees.text(tree.resolve("special/a+b=c.txt"), 77);
    Trees.text(tree.resolve("special/100% done %41%2F.txt"), 99);
    Trees.text(tree.resolve("special/key=value&x=1.txt"), 5);
    Random random = new Random(7);
    for (int i = 0; i < SMALL_OBJECTS; i++) {
      Trees.random(tree.resolve("nested/d" + (i % 3) + "/e" + (i % 2) + "/f" + i + ".dat"),
          1 + random.nextInt(20_000), 100 + i);
    }
    Trees.text(root.resolve("tree-decoy.txt"), 10);
    Trees.text(root.resolve("treehouse/not-copied.txt"), 10);
    return root;
  }
}
