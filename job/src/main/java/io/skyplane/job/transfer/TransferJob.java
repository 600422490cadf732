package io.skyplane.job.transfer;

import io.skyplane.job.model.ChunkResult;
import io.skyplane.job.model.Frame;
import io.skyplane.job.model.TransferEvent;
import io.skyplane.job.operators.CommitObjects;
import io.skyplane.job.operators.CorruptFrames;
import io.skyplane.job.operators.EncodeFrames;
import io.skyplane.job.operators.UploadFrames;
import io.skyplane.job.operators.WriteFrames;
import io.skyplane.job.source.ChunkSource;
import java.util.Set;
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
 * [destination group]  decompress + verify + write (WriteFrames)
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

  private TransferJob() {}

  /** Builds the job for all objects of the source, or only those in {@code onlyKeys}. */
  public static DataStream<TransferEvent> build(
      StreamExecutionEnvironment env, TransferSpec spec, @Nullable Set<String> onlyKeys) {
    DataStream<Frame> frames =
        env.fromSource(new ChunkSource(spec, onlyKeys), WatermarkStrategy.noWatermarks(), "read chunks")
            .uid("read-chunks")
            .setParallelism(spec.parallelism())
            .slotSharingGroup(SOURCE_GROUP)
            .map(new EncodeFrames(spec.compression()))
            .name("compress " + spec.compression())
            .uid("compress")
            .setParallelism(spec.parallelism())
            .slotSharingGroup(SOURCE_GROUP);
    if (!spec.corruptChunk().isEmpty()) {
      frames = frames.map(new CorruptFrames(spec.corruptChunk()))
          .name("test hook: corrupt " + spec.corruptChunk())
          .setParallelism(spec.parallelism())
          .slotSharingGroup(SOURCE_GROUP);
    }
    DataStream<Frame> partitioned = frames.partitionCustom(new ByChunk(), Frame::chunkId);
    DataStream<ChunkResult> chunks =
        (spec.destination().isLocal()
                ? partitioned.process(new WriteFrames(spec), TypeInformation.of(ChunkResult.class))
                    .name("decompress, verify, write")
                : partitioned.transform("decompress, verify, upload",
                    TypeInformation.of(ChunkResult.class), new UploadFrames(spec)))
            .uid("write")
            .setParallelism(spec.parallelism())
            .slotSharingGroup(DESTINATION_GROUP);
    return chunks
        .keyBy(ChunkResult::key)
        .process(new CommitObjects(spec), TypeInformation.of(TransferEvent.class))
        .name("verify and commit objects")
        .uid("commit")
        .setParallelism(spec.parallelism())
        .slotSharingGroup(DESTINATION_GROUP);
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
