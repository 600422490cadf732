package io.skyplane.job.report;

import io.skyplane.job.model.JobTotals;
import java.io.IOException;
import java.io.Serializable;

/**
 * What the job does itself once every object of an attempt was committed or failed, before it
 * ends: e.g. remove the run's scratch objects, so that a job whose client is gone still leaves
 * nothing behind. Runs in the report operator's task; a failure is logged, not fatal (the client's
 * sweep, or {@code skyplane clean}, removes what is left).
 */
public interface JobEnd extends Serializable {
  void finished(JobTotals totals) throws IOException;
}
