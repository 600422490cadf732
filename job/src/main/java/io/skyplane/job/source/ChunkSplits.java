package io.skyplane.job.source;

import io.skyplane.job.transfer.TransferSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.fs.Path;

/** Cuts objects into chunk splits: one {@link ChunkSplit} (object, offset, length) per chunk. */
public final class ChunkSplits {
  /** The informative path of splits of store objects (their keys need not be valid paths). */
  private static final Path STORE_OBJECT = new Path("/");

  private ChunkSplits() {}

  public static List<ChunkSplit> of(TransferSpec spec, List<SourceObject> objects) {
    List<ChunkSplit> splits = new ArrayList<>();
    long[] id = {0};
    for (SourceObject object : objects) {
      splits.addAll(of(spec, object, "", 0, "", id));
    }
    return splits;
  }

  /** The splits of one object, with ids {@code idPrefix} + a number from {@code nextId[0]} (advanced). */
  static List<ChunkSplit> of(TransferSpec spec, SourceObject object, String uploadId,
      long uploadStartedMillis, String idPrefix, long[] nextId) {
    Path path = object.path() == null ? STORE_OBJECT : new Path(object.path().toUri());
    int chunks = spec.chunkCount(object.size());
    List<ChunkSplit> splits = new ArrayList<>(chunks);
    for (int i = 0; i < chunks; i++) {
      long offset = i * spec.chunkSize();
      splits.add(new ChunkSplit(idPrefix + nextId[0]++, path, offset,
          spec.chunkLength(object.size(), i), object.mtime(), object.size(), null, object.key(),
          object.version(), uploadId, uploadStartedMillis, 0));
    }
    return splits;
  }
}
