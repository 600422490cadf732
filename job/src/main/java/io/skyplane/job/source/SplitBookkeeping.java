package io.skyplane.job.source;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops what Flink 2.3 keeps of every split for the whole job, so that a job of millions of splits
 * (one per small object) runs in bounded memory:
 *
 * <ul>
 *   <li>on the JobManager, the source coordinator's {@code SplitAssignmentTracker} holds every
 *       split assigned since the last completed checkpoint, to add them back after a failure; a
 *       transfer takes no checkpoints, so it held every split of the job. The enumerator does not
 *       use them (after a restart it lists afresh and drops the old attempt's splits, see {@link
 *       ChunkSplitEnumerator#addSplitsBack}), so {@link #forgetAssignments} clears them the way a
 *       completed checkpoint would;
 *   <li>on the TaskManager, the source operator registers a metric group per split ({@code
 *       split.<id>}, for per-split watermarks) and, when the split finishes, closes only its
 *       {@code watermark} subgroup: the {@code split.<id>} group stays in its parent for the life
 *       of the task. {@link #forgetSplitMetrics} closes and removes it.
 * </ul>
 *
 * Both reach into Flink internals by reflection; if a Flink version changes them, the cleanup is
 * skipped with one warning (memory then grows per split again, nothing else changes).
 */
final class SplitBookkeeping {
  private static final Logger LOG = LoggerFactory.getLogger(SplitBookkeeping.class);
  /** A checkpoint id no real checkpoint uses (transfers take none). */
  private static final long NO_CHECKPOINT = Long.MIN_VALUE + 1;
  private static volatile boolean trackerWarned;
  private static volatile boolean metricsWarned;

  private SplitBookkeeping() {}

  /**
   * Forgets the splits the coordinator recorded as assigned. Call on the coordinator's thread (the
   * enumerator's methods run there).
   */
  static void forgetAssignments(SplitEnumeratorContext<?> context) {
    if (trackerWarned) {
      return;
    }
    Method getter;
    try {
      getter = context.getClass().getDeclaredMethod("getAssignmentTracker");
    } catch (NoSuchMethodException e) {
      return; // not Flink's coordinator context (a test's): nothing recorded
    }
    try {
      getter.setAccessible(true);
      Object tracker = getter.invoke(context);
      tracker.getClass().getMethod("onCheckpoint", long.class).invoke(tracker, NO_CHECKPOINT);
      tracker.getClass().getMethod("onCheckpointComplete", long.class).invoke(tracker, NO_CHECKPOINT);
    } catch (ReflectiveOperationException | RuntimeException e) {
      trackerWarned = true;
      LOG.warn("cannot clear the source coordinator's split assignments ({}): the JobManager keeps every"
          + " assigned split until the job ends", e.toString());
    }
  }

  /** Closes and removes the metric groups of the finished splits ({@code split.<id>}). */
  static void forgetSplitMetrics(MetricGroup readerGroup, Collection<String> splitIds) {
    if (metricsWarned || splitIds.isEmpty()) {
      return;
    }
    try {
      Field proxied = Class.forName("org.apache.flink.runtime.metrics.groups.ProxyMetricGroup")
          .getDeclaredField("parentMetricGroup");
      proxied.setAccessible(true);
      Object operator = readerGroup;
      while (!isAbstractGroup(operator)) {
        operator = proxied.get(operator);
      }
      Class<?> abstractGroup = Class.forName("org.apache.flink.runtime.metrics.groups.AbstractMetricGroup");
      Field groups = abstractGroup.getDeclaredField("groups");
      groups.setAccessible(true);
      Object splitGroup;
      synchronized (operator) {
        splitGroup = ((Map<?, ?>) groups.get(operator)).get("split");
      }
      if (splitGroup == null) {
        return;
      }
      Method close = abstractGroup.getMethod("close");
      synchronized (splitGroup) {
        Map<?, ?> bySplit = (Map<?, ?>) groups.get(splitGroup);
        for (String id : splitIds) {
          Object group = bySplit.remove(id);
          if (group != null) {
            close.invoke(group);
          }
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      metricsWarned = true;
      LOG.warn("cannot remove the metric groups of finished splits ({}): the TaskManager keeps one per"
          + " split until the task ends", e.toString());
    }
  }

  private static boolean isAbstractGroup(Object group) throws ClassNotFoundException {
    return Class.forName("org.apache.flink.runtime.metrics.groups.AbstractMetricGroup").isInstance(group);
  }
}
