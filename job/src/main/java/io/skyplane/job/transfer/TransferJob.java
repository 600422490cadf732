package io.skyplane.job.transfer;

import io.skyplane.job.model.ChunkResult;
import io.skyplane.job.model.Frame;
import io.skyplane.job.model.TransferEvent;
import io.skyplane.job.operators.CommitObjects;
import io.skyplane.job.operators.CorruptFrames;
import io.skyplane.job.operators.EncodeFrames;
import io.skyplane.job.operators.UploadFrames;
import io.skyplane.job.source.ChunkSource;
import io.skyplane.job.operators.RouteFrames;
import io.skyplane.job.plan.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import javax.annotation.Nullable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.Partitioner;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Builds the transfer's dataflow:
 *
 * <pre>
 * [source group]       list + read ranges (ChunkSource) -> compress (EncodeFrames)
 *                        ==== network exchange, partitioned by chunk ====
 * [destination group]  decompress + verify + write through the store (UploadFrames)
 *                        ==== exchange, keyed by object ====
 *                      verify object + commit (CommitObjects) -> events to the client
 * </pre>
 *
 * The two slot sharing groups never share a slot, so the frames cross a real network exchange;
 * later, each group is pinned to its region's TaskManagers.
 */
public final class TransferJob {
  public static final String SOURCE_GROUP = "skyplane-source";
  public static final String DESTINATION_GROUP = "skyplane-destination";

  /** What each region slot requests besides the region: small, so a TaskManager fits several. */
  public static final double REGION_SLOT_CPU = 0.5;
  public static final int REGION_SLOT_HEAP_MB = 32;

  private TransferJob() {}

  /** Builds the job for all objects of the source, or only those in {@code onlyKeys}. */
  public static DataStream<TransferEvent> build(
      StreamExecutionEnvironment env, TransferSpec spec, @Nullable Set<String> onlyKeys) {
    // Chained operators hand frames on by reference instead of deep-copying every payload (a full
    // copy of each byte per chained hop): records are immutable, no operator keeps or changes an
    // input record it has passed on, and keyed state holds only objects the committer made.
    env.getConfig().enableObjectReuse();
    if (spec.route() != null) {
      return buildRoute(env, spec, spec.route(), onlyKeys);
    }
    SlotSharingGroup source = SlotSharingGroup.newBuilder(SOURCE_GROUP).build();
    SlotSharingGroup destination = SlotSharingGroup.newBuilder(DESTINATION_GROUP).build();
    DataStream<Frame> frames = readAndCompress(env, spec, onlyKeys, spec.parallelism(), source, "");
    return writeAndCommit(frames.partitionCustom(new ByChunk(), Frame::chunkId), spec, spec.parallelism(),
        destination, "");
  }

  /**
   * The job graph of a plan: one operator group per region, each in a slot sharing group that
   * requests the region's external resource, so its subtasks run only on that region's
   * TaskManagers.
   *
   * <pre>
   * [source region]   read ranges -> compress -> route (one output per outgoing plan edge)
   *                     ==== one exchange per plan edge, partitioned by chunk ====
   * [relay region]    route: forward the compressed frames untouched to the path's next region
   *                     ==== ... ====
   * [destination]     decompress + verify + write -> (keyed by object) verify + commit
   * </pre>
   */
  static DataStream<TransferEvent> buildRoute(
      StreamExecutionEnvironment env, TransferSpec spec, Route route, @Nullable Set<String> onlyKeys) {
    String source = route.source();
    DataStream<Frame> frames = readAndCompress(env, spec, onlyKeys, route.parallelismOf(source),
        regionGroup(source), " @" + source);
    // Every region but the destination routes its frames to the next region of each frame's path.
    Map<String, List<DataStream<Frame>>> arriving = new HashMap<>();
    for (String region : route.regions()) {
      if (region.equals(route.destination())) {
        break;
      }
      DataStream<Frame> input = region.equals(source) ? frames : union(arriving.remove(region));
      SingleOutputStreamOperator<Frame> routed = input
          .process(new RouteFrames(route, region), TypeInformation.of(Frame.class))
          .name((region.equals(source) ? "route" : "relay") + " @" + region)
          .uid("route-" + Route.slug(region))
          .setParallelism(route.parallelismOf(region))
          .slotSharingGroup(regionGroup(region));
      for (String next : route.next(region)) {
        arriving.computeIfAbsent(next, r -> new ArrayList<>()).add(
            routed.getSideOutput(RouteFrames.edge(region, next)).partitionCustom(new ByChunk(), Frame::chunkId));
      }
    }
    String destination = route.destination();
    return writeAndCommit(union(arriving.remove(destination)), spec, route.parallelismOf(destination),
        regionGroup(destination), " @" + destination);
  }

  /** Lists and reads the source's chunks and compresses them, in {@code group}. */
  private static DataStream<Frame> readAndCompress(StreamExecutionEnvironment env, TransferSpec spec,
      @Nullable Set<String> onlyKeys, int parallelism, SlotSharingGroup group, String at) {
    DataStream<Frame> frames =
        env.fromSource(new ChunkSource(spec, onlyKeys), WatermarkStrategy.noWatermarks(), "read chunks" + at)
            .uid("read-chunks")
            .setParallelism(parallelism)
            .slotSharingGroup(group)
            .map(new EncodeFrames(spec.compression(), spec.transferId()))
            .name("compress " + spec.compression() + at)
            .uid("compress")
            .setParallelism(parallelism)
            .slotSharingGroup(group);
    if (!spec.corruptChunk().isEmpty()) {
      frames = frames.map(new CorruptFrames(spec.corruptChunk()))
          .name("test hook: corrupt " + spec.corruptChunk())
          .setParallelism(parallelism)
          .slotSharingGroup(group);
    }
    return frames;
  }

  /** Decompresses, verifies and writes frames partitioned by chunk, then commits each object, in {@code group}. */
  private static DataStream<TransferEvent> writeAndCommit(DataStream<Frame> partitioned, TransferSpec spec,
      int parallelism, SlotSharingGroup group, String at) {
    DataStream<ChunkResult> chunks =
        partitioned.transform("decompress, verify, write" + at, TypeInformation.of(ChunkResult.class),
                new UploadFrames(spec))
            .uid("write")
            .setParallelism(parallelism)
            .slotSharingGroup(group);
    return chunks
        .keyBy(ChunkResult::key)
        .process(new CommitObjects(spec), TypeInformation.of(TransferEvent.class))
        .name("verify and commit objects" + at)
        .uid("commit")
        .setParallelism(parallelism)
        .slotSharingGroup(group);
  }

  /**
   * The slot sharing group of a region's operators: requests one unit of the region's external
   * resource, which only that region's TaskManagers advertise ({@code external-resources:
   * region-<slug>}, written by the TaskManager bootstrap).
   */
  public static SlotSharingGroup regionGroup(String region) {
    String resource = Route.resourceName(region);
    return SlotSharingGroup.newBuilder(resource)
        .setCpuCores(REGION_SLOT_CPU)
        .setTaskHeapMemoryMB(REGION_SLOT_HEAP_MB)
        .setExternalResource(resource, 1)
        .build();
  }

  private static DataStream<Frame> union(List<DataStream<Frame>> streams) {
    DataStream<Frame> first = streams.get(0);
    return streams.size() == 1 ? first : first.union(streams.subList(1, streams.size()).toArray(DataStream[]::new));
  }

  /** Sends all frames of a chunk to one writer, spreading chunks evenly. */
  static final class ByChunk implements Partitioner<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public int partition(String chunkId, int partitions) {
      return Math.floorMod(chunkId.hashCode() * 0x9E3779B1, partitions);
    }
  }
}
