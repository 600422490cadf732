package io.skyplane.job.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ResourceManagerOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;

class EmbeddedClusterTest {
  @Test
  void networkMemoryGrowsWithTheSquareOfTheSlotsAboveEightMiB() {
    long segment = 32 * 1024;
    assertThat(EmbeddedCluster.networkBytes(4)).isEqualTo((256 + 64 + 8) * segment); // -p 2: 10.25 MiB
    assertThat(EmbeddedCluster.networkBytes(32)).isEqualTo(40L << 20); // -p 16
    assertThat(EmbeddedCluster.networkBytes(64)).isEqualTo(104L << 20); // -p 32, measured to need 71 MiB
    assertThat(EmbeddedCluster.networkBytes(128)).isEqualTo(328L << 20); // -p 64, measured to need 271 MiB
  }

  @Test
  void theClusterKeepsNoManagedMemoryAndSchedulesWithoutBatchingDelays() {
    Configuration conf = new Configuration();

    EmbeddedCluster.configure(conf, 4);

    assertThat(conf.get(TaskManagerOptions.MANAGED_MEMORY_SIZE)).isEqualTo(MemorySize.ZERO);
    assertThat(conf.get(TaskManagerOptions.NETWORK_MEMORY_MIN)).isEqualTo(new MemorySize(EmbeddedCluster.networkBytes(4)));
    assertThat(conf.get(TaskManagerOptions.NETWORK_MEMORY_MAX)).isEqualTo(new MemorySize(EmbeddedCluster.networkBytes(4)));
    assertThat(conf.get(JobManagerOptions.SLOT_REQUEST_MAX_INTERVAL)).isEqualTo(Duration.ZERO);
    assertThat(conf.get(ResourceManagerOptions.REQUIREMENTS_CHECK_DELAY)).isEqualTo(Duration.ZERO);
  }

  @Test
  void networkMemoryStaysWithinTheJvmsDirectMemory() {
    Configuration conf = new Configuration();

    EmbeddedCluster.configure(conf, 1024);

    long network = conf.get(TaskManagerOptions.NETWORK_MEMORY_MAX).getBytes();
    assertThat(network).isLessThanOrEqualTo(
        Math.max(8L << 20, EmbeddedCluster.maxDirectBytes() - EmbeddedCluster.DIRECT_HEADROOM_BYTES));
    assertThat(network).isLessThan(EmbeddedCluster.networkBytes(1024));
  }

  @Test
  void theDirectMemoryLimitIsTheJvmsOptionElseTheHeap() {
    // surefire runs with -Xmx1g and no -XX:MaxDirectMemorySize: the JVM's default is the heap's maximum
    assertThat(EmbeddedCluster.maxDirectBytes()).isEqualTo(Runtime.getRuntime().maxMemory());
  }
}
