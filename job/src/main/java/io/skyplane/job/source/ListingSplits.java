package io.skyplane.job.source;

import io.skyplane.job.plan.PathAssigner;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.store.MultipartUpload;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * The enumerator's supply of splits, produced while the job runs: lists the source a page at a
 * time and cuts each object into chunks. For a store destination it also starts the multipart
 * upload of every object of more than one chunk, so that any writer can upload any part; the
 * upload id travels in the object's splits. With a plan, each chunk is assigned to a plan path in
 * proportion to the paths' weights (by bytes). Called from one thread at a time (the enumerator's
 * async worker).
 */
final class ListingSplits implements Closeable {
  private final TransferSpec spec;
  @Nullable private final Set<String> onlyKeys;
  private SourceListing listing;
  private ObjectStore destination;
  private final long[] nextId = {0};
  /** Names this supply's splits: a restarted job's new enumerator lists afresh and drops older ones. */
  private final String idPrefix = java.util.UUID.randomUUID().toString().substring(0, 8) + "-";
  @Nullable private final PathAssigner paths;

  ListingSplits(TransferSpec spec, @Nullable Set<String> onlyKeys) {
    this.spec = spec;
    this.onlyKeys = onlyKeys;
    this.paths = spec.route() == null ? null : new PathAssigner(spec.route().paths());
  }

  /** The next splits, at least {@code max} unless the listing ends; empty when it has ended. */
  List<ChunkSplit> next(int max) throws IOException {
    if (listing == null) {
      listing = SourceListing.open(spec, onlyKeys, false);
      if (!spec.destination().isLocal()) {
        destination = ObjectStores.open(spec.destination().store());
      }
    }
    List<ChunkSplit> splits = new ArrayList<>();
    while (splits.size() < max && listing.hasNext()) {
      SourceObject object = listing.next();
      String uploadId = "";
      long started = 0;
      if (destination != null && spec.chunkCount(object.size()) > 1) {
        MultipartUpload upload =
            destination.multipart().create(spec.destinationKey(object.key()));
        uploadId = upload.uploadId();
        started = upload.startedMillis();
      }
      for (ChunkSplit split : ChunkSplits.of(spec, object, uploadId, started, idPrefix, nextId)) {
        splits.add(paths == null ? split : split.onPath(paths.next(split.length())));
      }
    }
    return splits;
  }

  /** Whether this supply cut the split (and so has not listed it again). */
  boolean cut(String splitId) {
    return splitId.startsWith(idPrefix);
  }

  @Override
  public void close() throws IOException {
    try {
      if (listing != null) {
        listing.close();
      }
    } finally {
      if (destination != null) {
        destination.close();
      }
    }
  }
}
