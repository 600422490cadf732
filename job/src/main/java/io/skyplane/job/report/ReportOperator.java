package io.skyplane.job.report;

import io.skyplane.job.model.TransferEvent;
import java.io.IOException;
import javax.annotation.Nullable;
import org.apache.flink.runtime.operators.coordination.OperatorEventGateway;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sums the committer's events (one subtask sees them all) and, at most every {@link #SEND_MILLIS}
 * while something changed, sends a copy of its totals to the coordinator; the totals are also an
 * accumulator, final when the job ends. Sending to the coordinator never blocks. Runs the job's
 * {@link JobHooks} when it opens, when its input ends (every object of this attempt committed or
 * failed), and when it closes.
 */
final class ReportOperator extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<TransferEvent, Void>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReportOperator.class);
  static final long SEND_MILLIS = 250;

  private final transient OperatorEventGateway coordinator;
  private final String accumulatorName;
  @Nullable private final JobHooks hooks;
  private transient TotalsAccumulator totals;
  private transient boolean changed;

  ReportOperator(StreamOperatorParameters<Void> parameters, OperatorEventGateway coordinator,
      String accumulatorName, @Nullable JobHooks hooks) {
    super(parameters);
    this.coordinator = coordinator;
    this.accumulatorName = accumulatorName;
    this.hooks = hooks;
  }

  @Override
  public void open() throws Exception {
    super.open();
    if (hooks != null) {
      hooks.opened();
    }
    totals = new TotalsAccumulator(getRuntimeContext().getTaskInfo().getAttemptNumber());
    getRuntimeContext().addAccumulator(accumulatorName, totals);
    send(); // the coordinator learns of this attempt at once, even before the first commit
    getProcessingTimeService().scheduleWithFixedDelay(time -> {
      if (changed) {
        send();
      }
    }, SEND_MILLIS, SEND_MILLIS);
  }

  @Override
  public void processElement(StreamRecord<TransferEvent> record) {
    totals.add(record.getValue());
    changed = true;
  }

  @Override
  public void endInput() throws Exception {
    send();
    if (hooks != null) {
      try {
        hooks.finished(totals.getLocalValue().copy());
      } catch (IOException | RuntimeException e) {
        LOG.warn("the job's end hook failed (what is left is removed by the client, or 'skyplane clean'): {}",
            e.toString());
      }
    }
  }

  @Override
  public void close() throws Exception {
    try {
      if (hooks != null) {
        hooks.closed();
      }
    } finally {
      super.close();
    }
  }

  private void send() {
    changed = false;
    coordinator.sendEventToCoordinator(new Messages.Totals(totals.getLocalValue().copy()));
  }
}
