package io.skyplane.job.testing;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster the ITs run on: two TaskManagers, so exchanges can cross TaskManagers. */
public final class Clusters {
  public static final int PARALLELISM = 2;

  private Clusters() {}

  public static MiniClusterExtension twoTaskManagers() {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(2)
            .setNumberSlotsPerTaskManager(2 * PARALLELISM)
            .build());
  }
}
