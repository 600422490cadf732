package io.skyplane.job.source;

import io.skyplane.job.plan.PathAssigner;
import io.skyplane.job.transfer.TransferSpec;
import io.skyplane.store.MultipartUpload;
import io.skyplane.store.ObjectStore;
import io.skyplane.job.scratch.Scratch;
import io.skyplane.job.scratch.UploadJournal;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreException;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * The enumerator's supply of splits, produced while the job runs: lists the source a page at a
 * time and cuts each object into chunks. It also starts the multipart upload of every object of
 * more than one chunk, so that any writer can upload any part, and (for a store destination)
 * journals them in the run's area; the upload id travels in the object's splits. With a plan, each chunk is assigned to a plan path in
 * proportion to the paths' weights (by bytes). Called from one thread at a time (the enumerator's
 * async worker).
 */
final class ListingSplits implements Closeable {
  private final TransferSpec spec;
  @Nullable private final Set<String> onlyKeys;
  private SourceListing listing;
  private ObjectStore destination;
  private UploadJournal journal;
  private final long[] nextId = {0};
  /** Names this supply's splits: a restarted job's new enumerator lists afresh and drops older ones. */
  private final String idPrefix = java.util.UUID.randomUUID().toString().substring(0, 8) + "-";
  @Nullable private final PathAssigner paths;
  private int failuresInARow;
  /** Uploads in a row that cannot be started for a store-wide reason before the store counts as unusable. */
  static final int UNUSABLE_AFTER = 10;

  ListingSplits(TransferSpec spec, @Nullable Set<String> onlyKeys) {
    this.spec = spec;
    this.onlyKeys = onlyKeys;
    this.paths = spec.route() == null ? null : new PathAssigner(spec.route().paths());
  }

  /** The next splits, at least {@code max} unless the listing ends; empty when it has ended. */
  List<ChunkSplit> next(int max) throws IOException {
    if (listing == null) {
      listing = SourceListing.open(spec, onlyKeys, false);
      destination = ObjectStores.open(spec.destination().store());
      if (!spec.destination().isLocal()) { // a local run's uploads lie in its area, swept as a whole
        journal = new UploadJournal(destination, spec.transferId());
      }
    }
    List<SourceObject> page = new ArrayList<>();
    long chunks = 0;
    while (chunks < max && listing.hasNext()) {
      SourceObject object = listing.next();
      if (Scratch.isRunKey(spec.sourceKey(object.key()))) {
        continue; // a transfer into the source started after the client's check: its temporaries
      }
      page.add(object);
      chunks += spec.chunkCount(object.size());
    }
    Map<String, MultipartUpload> uploads = new HashMap<>();
    Map<String, String> errors = new HashMap<>();
    startUploads(page, uploads, errors);
    List<ChunkSplit> splits = new ArrayList<>();
    for (SourceObject object : page) {
      MultipartUpload upload = uploads.get(object.key());
      String error = errors.getOrDefault(object.key(), "");
      for (ChunkSplit split : ChunkSplits.of(spec, object, upload == null ? "" : upload.uploadId(),
          upload == null ? 0 : upload.startedMillis(), idPrefix, nextId)) {
        ChunkSplit routed = paths == null ? split : split.onPath(paths.next(split.length()));
        splits.add(error.isEmpty() ? routed : routed.failed(error));
      }
    }
    return splits;
  }

  /**
   * Starts the multipart upload of every object of more than one chunk, journaled before (the keys)
   * and after (the upload ids). An upload that cannot be started fails its object; many in a row
   * for a store-wide reason mean the destination is unusable (the job fails).
   */
  private void startUploads(List<SourceObject> page, Map<String, MultipartUpload> uploads,
      Map<String, String> errors) throws IOException {
    List<String> keys = new ArrayList<>();
    for (SourceObject object : page) {
      if (spec.chunkCount(object.size()) > 1) {
        keys.add(spec.destinationKey(object.key()));
      }
    }
    if (keys.isEmpty()) {
      return;
    }
    if (journal != null) {
      journal.intend(keys);
    }
    List<MultipartUpload> started = new ArrayList<>();
    for (SourceObject object : page) {
      if (spec.chunkCount(object.size()) <= 1) {
        continue;
      }
      try {
        MultipartUpload upload = destination.multipart().create(spec.destinationKey(object.key()), spec.transferId());
        uploads.put(object.key(), upload);
        started.add(upload);
        failuresInARow = 0;
      } catch (StoreException e) {
        errors.put(object.key(), e.getMessage());
        if ((e.isRetryable() || e.kind() == StoreException.Kind.ACCESS_DENIED) && ++failuresInARow >= UNUSABLE_AFTER) {
          if (journal != null) {
            journal.started(started);
          }
          throw new IOException("the destination '" + spec.destination().text() + "' is unusable: "
              + failuresInARow + " multipart uploads in a row could not be started; the last: " + e.getMessage(), e);
        }
      }
    }
    if (journal != null) {
      journal.started(started);
    }
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
