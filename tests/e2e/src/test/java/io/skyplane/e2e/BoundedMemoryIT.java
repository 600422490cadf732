package io.skyplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.job.testing.StoreAdmin;
import io.skyplane.job.testing.StoreKind;
import io.skyplane.job.testing.Trees;
import io.skyplane.testing.servers.S3ServerExtension;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory is bounded, not just small: a 3 GiB object goes through {@code bin/skyplane} with its heap
 * capped at 512 MiB, into S3 (the path that holds parts in memory until the store has them) and
 * into local files, and arrives byte-identical.
 */
class BoundedMemoryIT {
  @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();

  private static final long MIB = 1L << 20;
  private static final long SIZE = 3072 * MIB + 17;

  @TempDir Path tmp;

  /** 3 GiB (and a few bytes) no MiB of which repeats, so compression cannot make it small. */
  private static Path bigFile(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    byte[] block = new byte[(int) MIB];
    new Random(3).nextBytes(block);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < SIZE; written += block.length) {
        for (int i = 0; i < block.length; i += 4096) {
          block[i] ^= (byte) (written >>> 20); // every 4 KiB of every MiB differs from the last MiB's
          block[i + 1] ^= (byte) (written >>> 28);
        }
        out.write(block, 0, (int) Math.min(block.length, SIZE - written));
      }
    }
    return file;
  }

  @Test
  void aThreeGibObjectGoesThroughAHeapOf512MibIntact() throws Exception {
    Path source = bigFile(tmp.resolve("src/big.bin"));
    String digest = Trees.sha256(source);
    try (StoreAdmin stores = new StoreAdmin(tmp.resolve("local"), S3.endpoint(), null, null)) {
      Path storeConfig = stores.writeStoreConfig(tmp.resolve("stores.properties"), Map.of());
      stores.createBucket(StoreKind.S3, "memory");
      Map<String, String> env = Map.of(
          "AWS_ACCESS_KEY_ID", S3.endpoint().accessKey(),
          "AWS_SECRET_ACCESS_KEY", S3.endpoint().secretKey(),
          "SKYPLANE_LOG_DIR", tmp.resolve("logs").toString(),
          "SKYPLANE_JAVA_OPTS", "-Xmx512m -Djava.io.tmpdir=" + tmp);

      Proc toS3 = Proc.run(tmp, env, Proc.skyplane(List.of("cp", source.toString(),
          stores.uri(StoreKind.S3, "memory", "dst/big.bin"), "--store-config", storeConfig.toString(),
          "-q", "--json", tmp.resolve("s3.json").toString())));

      assertThat(toS3.exitCode()).as(toS3.toString()).isZero();
      assertThat(stores.digests(StoreKind.S3, "memory", "dst/")).containsExactly(Map.entry("big.bin", digest));
      JsonNode report = new ObjectMapper().readTree(tmp.resolve("s3.json").toFile());
      assertThat(report.get("status").asText()).isEqualTo("succeeded");
      assertThat(stores.pendingS3Uploads("memory")).isEmpty();
    }

    Path local = tmp.resolve("dst/big.bin");
    Proc toLocal = Proc.run(tmp, Map.of("SKYPLANE_LOG_DIR", tmp.resolve("logs").toString(),
        "SKYPLANE_JAVA_OPTS", "-Xmx512m -Djava.io.tmpdir=" + tmp),
        Proc.skyplane(List.of("cp", source.toString(), local.toString(), "-q")));

    assertThat(toLocal.exitCode()).as(toLocal.toString()).isZero();
    assertThat(Trees.sha256(local)).isEqualTo(digest);
  }
}
