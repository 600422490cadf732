package io.skyplane.job.transfer;

import io.skyplane.store.MultipartUpload;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The client's sweep after a transfer to a store: aborts every unfinished multipart upload of this
 * run under the destination prefix. A job that failed or was cancelled may have started uploads
 * (the enumerator starts one per multi-chunk object) that no committer completed or aborted.
 * Uploads of this run are those of one of its destination keys started after the run began (minus
 * a margin for clock skew between the client and the cluster), so uploads of other, concurrent
 * writers to other keys are left alone.
 */
public final class PendingUploads {
  private static final long CLOCK_SKEW_MILLIS = 5 * 60_000L;
  private static final int KEY_BY_KEY = 64;

  private PendingUploads() {}

  /**
   * Aborts this run's unfinished uploads; returns how many there were. Only objects of more than one
   * chunk have uploads; none means no request at all. A few are looked up key by key (cheap on every
   * store; Azure needs a request per blob to see uncommitted blocks), many by one listing of the
   * destination prefix.
   */
  public static int abortAll(TransferSpec spec, Set<String> multipartKeys, long startedMillis)
      throws IOException {
    if (spec.destination().isLocal() || multipartKeys.isEmpty()) {
      return 0;
    }
    try (ObjectStore store = ObjectStores.open(spec.destination().store())) {
      List<MultipartUpload> pending = new ArrayList<>();
      if (multipartKeys.size() <= KEY_BY_KEY) {
        for (String key : multipartKeys) {
          pending.addAll(store.multipart().pending(key));
        }
      } else {
        pending.addAll(store.multipart().pending(spec.destination().prefix()));
      }
      int aborted = 0;
      for (MultipartUpload upload : pending) {
        boolean ours = multipartKeys.contains(upload.key())
            && (upload.startedMillis() <= 0 || upload.startedMillis() >= startedMillis - CLOCK_SKEW_MILLIS);
        if (ours) {
          store.multipart().abort(upload);
          aborted++;
        }
      }
      return aborted;
    }
  }
}
