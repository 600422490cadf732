package io.skyplane.job.transfer;

import io.skyplane.job.model.TransferEvent;
import java.time.Duration;
import java.util.UUID;
import javax.annotation.Nullable;
import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.collect.CollectResultIterator;
import org.apache.flink.streaming.api.operators.collect.CollectSinkOperatorFactory;
import org.apache.flink.streaming.api.operators.collect.CollectStreamSink;
import org.apache.flink.streaming.api.operators.collect.UncheckpointedCollectResultBuffer;
import org.apache.flink.util.CloseableIterator;

/**
 * The job's events, streamed to the client: {@link DataStream#collectAsync()}, except that the
 * client's iterator survives a restart of the job (it delivers results at once and, after a
 * restart, again from the start; the progress counts each object once) and that the sink can be
 * pinned to a region's slot sharing group. Flink's own iterator tolerates restarts only when the
 * job takes at-least-once checkpoints, and the transfer takes none: a restart runs it again from
 * its start, since writers keep partial chunks in memory, not in state.
 */
final class EventStream {
  /** How often an idle client asks the sink for new events. */
  static final int POLL_MILLIS = 400;

  private EventStream() {}

  /** Collects {@code events}; the sink runs in {@code group} (and is named {@code @region}) when given. */
  static CloseableIterator<TransferEvent> collect(
      DataStream<TransferEvent> events, @Nullable String region, @Nullable SlotSharingGroup group) {
    StreamExecutionEnvironment env = events.getExecutionEnvironment();
    TypeSerializer<TransferEvent> serializer =
        events.getType().createSerializer(env.getConfig().getSerializerConfig());
    String accumulator = "skyplaneEvents_" + UUID.randomUUID();
    MemorySize batch = env.getConfiguration().get(CollectSinkOperatorFactory.MAX_BATCH_SIZE);
    Duration socketTimeout = env.getConfiguration().get(CollectSinkOperatorFactory.SOCKET_TIMEOUT);
    CollectSinkOperatorFactory<TransferEvent> factory =
        new CollectSinkOperatorFactory<>(serializer, accumulator, batch, socketTimeout);
    CollectStreamSink<TransferEvent> sink = new CollectStreamSink<>(events, factory);
    sink.name("events to the client" + (region == null ? "" : " @" + region));
    String uid = "skyplane-events-" + sink.getTransformation().getId();
    sink.uid(uid);
    if (group != null) {
      sink.slotSharingGroup(group);
    }
    // A buffer that delivers results at once and, after a restart, again from the start (what
    // Flink's own iterator picks for at-least-once checkpoints); the job itself runs without checkpoints.
    // The client asks for new events every POLL_MILLIS when it has none (Flink's default, 100 ms,
    // costs the client, the JobManager and the sink's TaskManager a request each time).
    CollectResultIterator<TransferEvent> iterator = new CollectResultIterator<>(
        new UncheckpointedCollectResultBuffer<>(serializer, true), uid, accumulator, POLL_MILLIS);
    env.addOperator(sink.getTransformation());
    env.registerCollectIterator(iterator);
    return iterator;
  }
}
