package io.skyplane.job.source;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.model.Frame;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.connector.file.src.PendingSplitsCheckpointSerializer;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The transfer's bounded FLIP-27 source. The enumerator (on the JobManager) lists the source while
 * the job runs and cuts every object into chunk splits; readers read each split's byte range as
 * frames. Splits extend flink-connector-files' {@link FileSourceSplit} (which already carries path,
 * offset and length) with the object's key, version and multipart upload ({@link ChunkSplit}); split
 * state and the enumerator checkpoint are flink-connector-files' too. The enumerator and reader
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
    return new ChunkSplitEnumerator(
        context, List.of(), spec.chunkSize(), () -> new ListingSplits(spec, onlyKeys));
  }

  @Override
  public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> restoreEnumerator(
      SplitEnumeratorContext<FileSourceSplit> context,
      PendingSplitsCheckpoint<FileSourceSplit> checkpoint) {
    return new ChunkSplitEnumerator(context, checkpoint.getSplits(), spec.chunkSize());
  }

  @Override
  public SimpleVersionedSerializer<FileSourceSplit> getSplitSerializer() {
    return ChunkSplitSerializer.INSTANCE;
  }

  @Override
  public SimpleVersionedSerializer<PendingSplitsCheckpoint<FileSourceSplit>>
      getEnumeratorCheckpointSerializer() {
    return new PendingSplitsCheckpointSerializer<>(ChunkSplitSerializer.INSTANCE);
  }

  @Override
  public TypeInformation<Frame> getProducedType() {
    return TypeInformation.of(Frame.class);
  }
}
