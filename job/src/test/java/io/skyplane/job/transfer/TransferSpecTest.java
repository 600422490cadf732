package io.skyplane.job.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyplane.job.codec.Compression;
import io.skyplane.store.StoreSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransferSpecTest {
  private static TransferSpec spec(Location from, Location to, boolean single) {
    return new TransferSpec("0123456789ab", from, to, single, 1 << 20, 1 << 20, Compression.NONE, 1, "");
  }

  private static Location s3(String prefix) {
    return new Location(new StoreSpec("s3", "b", Map.of()), prefix, "s3://b/" + prefix);
  }

  @Test
  void keysMapFromSourcePrefixToDestinationPrefix() {
    TransferSpec tree = spec(s3("in/"), s3("out/"), false);
    assertThat(tree.relativeKey("in/a/b.txt")).isEqualTo("a/b.txt");
    assertThat(tree.sourceKey("a/b.txt")).isEqualTo("in/a/b.txt");
    assertThat(tree.destinationKey("a/b.txt")).isEqualTo("out/a/b.txt");
    TransferSpec single = spec(s3("in/x.bin"), s3("out/y.bin"), true);
    assertThat(single.relativeKey("in/x.bin")).isEqualTo("x.bin");
    assertThat(single.sourceKey("x.bin")).isEqualTo("in/x.bin");
    assertThat(single.destinationKey("x.bin")).isEqualTo("out/y.bin");
  }

  @Test
  void storeKeysNeverEscapeALocalDestination() {
    TransferSpec tree = spec(s3(""), Location.local(Path.of("/data/out"), false, "/data/out"), false);
    assertThat(tree.destinationOf("a/b c+%=ü")).isEqualTo(Path.of("/data/out/a/b c+%=ü"));
    for (String key : new String[] {"../etc/passwd", "a/../../x", "/abs", "a//b", "./a", "a/.", ""}) {
      assertThatThrownBy(() -> tree.destinationOf(key)).as(key)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be a file under");
    }
  }
}
