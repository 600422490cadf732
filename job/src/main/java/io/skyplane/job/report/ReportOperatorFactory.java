package io.skyplane.job.report;

import io.skyplane.job.model.TransferEvent;
import javax.annotation.Nullable;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.operators.coordination.OperatorCoordinator;
import org.apache.flink.runtime.operators.coordination.OperatorEventDispatcher;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.CoordinatedOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

/** Creates the {@link ReportOperator} with its gateway to the {@link ReportCoordinator}. */
final class ReportOperatorFactory extends AbstractStreamOperatorFactory<Void>
    implements OneInputStreamOperatorFactory<TransferEvent, Void>, CoordinatedOperatorFactory<Void> {
  private static final long serialVersionUID = 1L;

  private final String accumulatorName;
  @Nullable private final JobHooks hooks;

  ReportOperatorFactory(String accumulatorName, @Nullable JobHooks hooks) {
    this.accumulatorName = accumulatorName;
    this.hooks = hooks;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends StreamOperator<Void>> T createStreamOperator(StreamOperatorParameters<Void> parameters) {
    OperatorID id = parameters.getStreamConfig().getOperatorID();
    OperatorEventDispatcher dispatcher = parameters.getOperatorEventDispatcher();
    ReportOperator operator =
        new ReportOperator(parameters, dispatcher.getOperatorEventGateway(id), accumulatorName, hooks);
    dispatcher.registerEventHandler(id, event -> {}); // the coordinator sends nothing
    return (T) operator;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
    return ReportOperator.class;
  }

  @Override
  public OperatorCoordinator.Provider getCoordinatorProvider(String operatorName, OperatorID operatorId) {
    return new ReportCoordinator.Provider(operatorId);
  }
}
