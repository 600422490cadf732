package io.skyplane.job.report;

import io.skyplane.job.model.JobTotals;
import io.skyplane.job.model.TransferEvent;
import org.apache.flink.api.common.accumulators.Accumulator;

/** The report operator's totals as a Flink accumulator: the client reads the final ones at the end. */
final class TotalsAccumulator implements Accumulator<TransferEvent, JobTotals> {
  private static final long serialVersionUID = 1L;

  private JobTotals totals;

  TotalsAccumulator(int attempt) {
    this.totals = new JobTotals(attempt);
  }

  private TotalsAccumulator(JobTotals totals) {
    this.totals = totals;
  }

  @Override
  public void add(TransferEvent event) {
    totals.accept(event);
  }

  @Override
  public JobTotals getLocalValue() {
    return totals;
  }

  @Override
  public void resetLocal() {
    totals = new JobTotals(totals.attempt());
  }

  @Override
  public void merge(Accumulator<TransferEvent, JobTotals> other) {
    totals.merge(other.getLocalValue());
  }

  @Override
  public TotalsAccumulator clone() {
    return new TotalsAccumulator(totals.copy());
  }
}
