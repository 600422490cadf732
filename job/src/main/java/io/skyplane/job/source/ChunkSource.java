package io.skyplane.job.source;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.model.Frame;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import io.skyplane.job.transfer.TransferSpec;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitSerializer;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.connector.file.src.PendingSplitsCheckpointSerializer;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The transfer's bounded FLIP-27 source. The enumerator (on the JobManager) lists the source and
 * cuts every object into chunk splits; readers read each split's byte range as frames. Splits,
 * their serializer, split state and the enumerator checkpoint come from flink-connector-files
 * ({@link FileSourceSplit} already carries path, offset and length). The enumerator and reader
 * are ours: splits go out in byte-budgeted batches, and readers ask once per batch, not once per
 * split, so thousands of small files do not cost a JobManager round trip each.
 */
public final class ChunkSource
    implements Source<Frame, FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>>,
        ResultTypeQueryable<Frame> {
  private static final long serialVersionUID = 1L;

  private final TransferSpec spec;
  @Nullable private final HashSet<String> onlyKeys;

  /** A source of every object under the spec's source root, or only of {@code onlyKeys}. */
  public ChunkSource(TransferSpec spec, @Nullable Set<String> onlyKeys) {
    this.spec = requireNonNull(spec, "spec is null");
    this.onlyKeys = onlyKeys == null ? null : new HashSet<>(onlyKeys);
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.BOUNDED;
  }

  @Override
  public SourceReader<Frame, FileSourceSplit> createReader(SourceReaderContext context) {
    return new ChunkSourceReader(context, spec);
  }

  @Override
  public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> createEnumerator(
      SplitEnumeratorContext<FileSourceSplit> context) {
    List<SourceObject> objects = LocalListing.list(spec, false);
    if (onlyKeys != null) {
      objects = objects.stream().filter(o -> onlyKeys.contains(o.key())).collect(Collectors.toList());
    }
    return new ChunkSplitEnumerator(context, ChunkSplits.of(spec, objects), spec.chunkSize());
  }

  @Override
  public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> restoreEnumerator(
      SplitEnumeratorContext<FileSourceSplit> context,
      PendingSplitsCheckpoint<FileSourceSplit> checkpoint) {
    return new ChunkSplitEnumerator(context, checkpoint.getSplits(), spec.chunkSize());
  }

  @Override
  public SimpleVersionedSerializer<FileSourceSplit> getSplitSerializer() {
    return FileSourceSplitSerializer.INSTANCE;
  }

  @Override
  public SimpleVersionedSerializer<PendingSplitsCheckpoint<FileSourceSplit>>
      getEnumeratorCheckpointSerializer() {
    return new PendingSplitsCheckpointSerializer<>(FileSourceSplitSerializer.INSTANCE);
  }

  @Override
  public TypeInformation<Frame> getProducedType() {
    return TypeInformation.of(Frame.class);
  }
}
