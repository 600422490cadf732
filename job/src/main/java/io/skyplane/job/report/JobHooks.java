package io.skyplane.job.report;

import io.skyplane.job.model.JobTotals;
import java.io.IOException;
import java.io.Serializable;

/**
 * What the job does itself around its report operator, which runs from the job's start to the end
 * of its data on one TaskManager: e.g. keep the run's lease alive while it runs, and remove the
 * run's scratch area once every object of an attempt was committed or failed, so that a job whose
 * client is gone still leaves nothing behind.
 */
public interface JobHooks extends Serializable {
  /** When the report operator opens (also after a restart). */
  void opened() throws IOException;

  /**
   * When every object of this attempt was committed or failed. A failure is logged, not fatal:
   * the client's sweep, a later run, or {@code skyplane clean} remove what is left.
   */
  void finished(JobTotals totals) throws IOException;

  /** When the report operator closes (at the end, or when the job fails or is cancelled). */
  void closed();
}
