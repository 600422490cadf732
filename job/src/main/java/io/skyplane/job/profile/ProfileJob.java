package io.skyplane.job.profile;

import io.skyplane.job.plan.Route;
import io.skyplane.job.transfer.TransferJob;
import java.util.List;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Builds the profile's dataflow: per link, senders in the source region's slot sharing group and
 * receivers in the destination region's ({@link TransferJob#regionGroup}), so the bytes cross a real
 * Flink network exchange between those regions' TaskManagers, every sender to every receiver:
 *
 * <pre>
 * start ──> ready @a, ready @b, ... ──> send a->b @a ══> receive a->b @b ──> send b->a @b ══> receive b->a @a ──> ...
 * </pre>
 *
 * {@code ══>} carries the measured bytes (rebalance, {@code streams x streams} channels); {@code
 * ──>} carries no record, only the end of the input, which starts the next sender once every
 * receiver before it has all its data (the first: once every region's slots have run a task). Results go to the client as accumulators, one list of
 * {@link WindowSample}s and one of {@link RttSample}s per link.
 */
public final class ProfileJob {
  private static final String ACCUMULATOR = "skyplane-profile-";

  private ProfileJob() {}

  public static void build(StreamExecutionEnvironment env, ProfileSpec spec) {
    List<Link> links = spec.links();
    int streams = spec.streams();
    DataStream<Long> start = env.fromSequence(0, 0)
        .name("start @" + links.get(0).source())
        .uid("profile-start")
        .setParallelism(1)
        .slotSharingGroup(TransferJob.regionGroup(links.get(0).source()));
    // The first sender waits for a task in every slot of every region to have run: by then each
    // TaskManager has fetched the job's jar (over the links, from the JobManager), which would
    // otherwise share a link with the first pairs' RTT probes.
    DataStream<Long> previous = null;
    for (String region : spec.regions()) {
      DataStream<Long> ready = start.rebalance()
          .filter(x -> false)
          .name("ready @" + region)
          .uid("profile-ready-" + Route.slug(region))
          .setParallelism(streams)
          .slotSharingGroup(TransferJob.regionGroup(region));
      previous = previous == null ? ready : previous.union(ready);
    }
    for (int i = 0; i < links.size(); i++) {
      Link link = links.get(i);
      DataStream<byte[]> bytes = previous.rebalance()
          .transform("send " + link.name() + " @" + link.source(),
              PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO, new GenerateBytes(spec, i))
          .uid("profile-send-" + i)
          .setParallelism(streams)
          .slotSharingGroup(TransferJob.regionGroup(link.source()));
      previous = bytes.rebalance()
          .transform("receive " + link.name() + " @" + link.destination(), Types.LONG, new MeasureBytes(spec, i))
          .uid("profile-receive-" + i)
          .setParallelism(streams)
          .slotSharingGroup(TransferJob.regionGroup(link.destination()));
    }
    String last = links.get(links.size() - 1).destination();
    previous.sinkTo(new DiscardingSink<>())
        .name("end @" + last)
        .uid("profile-end")
        .setParallelism(streams)
        .slotSharingGroup(TransferJob.regionGroup(last));
  }

  static String windowAccumulator(int link) {
    return ACCUMULATOR + link + "-windows";
  }

  static String rttAccumulator(int link) {
    return ACCUMULATOR + link + "-rtt";
  }
}
