package io.skyplane.job.source;

import io.skyplane.job.transfer.TransferSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;

/** Cuts objects into chunk splits: one {@link FileSourceSplit} (path, offset, length) per chunk. */
public final class ChunkSplits {
  private ChunkSplits() {}

  public static List<FileSourceSplit> of(TransferSpec spec, List<SourceObject> objects) {
    List<FileSourceSplit> splits = new ArrayList<>();
    long id = 0;
    for (SourceObject object : objects) {
      Path path = new Path(object.path().toUri());
      int chunks = spec.chunkCount(object.size());
      for (int i = 0; i < chunks; i++) {
        long offset = i * spec.chunkSize();
        splits.add(
            new FileSourceSplit(
                Long.toString(id++),
                path,
                offset,
                spec.chunkLength(object.size(), i),
                object.mtime(),
                object.size()));
      }
    }
    return splits;
  }
}
