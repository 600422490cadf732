package io.skyplane.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyplane.job.codec.Compression;
import io.skyplane.job.source.SourceObject;
import io.skyplane.job.source.SourceTotals;
import io.skyplane.job.testing.Clusters;
import io.skyplane.job.testing.Trees;
import io.skyplane.job.transfer.ClusterTarget;
import io.skyplane.job.transfer.TransferReport;
import io.skyplane.job.transfer.TransferRunner;
import io.skyplane.job.transfer.Location;
import io.skyplane.job.transfer.TransferSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.BatchShuffleMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunks stream: the destination writes its first chunk while the source is still reading. The
 * same measurement on BATCH mode with blocking shuffles shows the opposite, so the check can fail.
 */
class StreamingIT {
  @RegisterExtension static final MiniClusterExtension CLUSTER = Clusters.twoTaskManagers();

  @TempDir Path tmp;

  private TransferReport copy(Configuration overrides) throws IOException {
    Path src = tmp.resolve("src");
    if (!src.toFile().exists()) {
      Trees.random(src.resolve("big.bin"), 48L << 20, 1);
    }
    Path dst = tmp.resolve("dst-" + System.nanoTime());
    TransferSpec spec = new TransferSpec("0123456789ab", Location.local(src, false, src.toString()),
        Location.local(dst, false, dst.toString()), false,
        256 * 1024, 256 * 1024, Compression.DEFAULT, Clusters.PARALLELISM, "");
    dst.toFile().mkdirs();
    List<SourceObject> objects = TransferRunner.list(spec, null);
    TransferReport report = TransferRunner.run(spec, ClusterTarget.context(), src.toString(), dst.toString(), SourceTotals.of(objects), null, overrides, p -> {});
    assertThat(report.succeeded()).as(report.toString()).isTrue();
    Trees.assertIdentical(src, dst);
    return report;
  }

  @Test
  void destinationWritesBeforeSourceFinishesReading() throws IOException {
    TransferReport report = copy(new Configuration());

    assertThat(report.settings().runtimeMode()).isEqualTo("STREAMING");
    assertThat(report.firstByteSeconds())
        .as("first chunk written at the destination vs last chunk read at the source")
        .isLessThan(report.sourceDoneSeconds());
  }

  @Test
  void blockingBatchShuffleWouldNotStream() throws IOException {
    Configuration blocking = new Configuration();
    blocking.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
    blocking.set(ExecutionOptions.BATCH_SHUFFLE_MODE, BatchShuffleMode.ALL_EXCHANGES_BLOCKING);

    TransferReport report = copy(blocking);

    assertThat(report.firstByteSeconds()).isGreaterThanOrEqualTo(report.sourceDoneSeconds());
  }
}
