package io.skyplane.job.scratch;

import io.skyplane.store.MultipartUpload;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.annotation.Nullable;

/**
 * Removes runs' areas: aborts the multipart uploads a run journaled (each retried past a failure,
 * the sweep going on with the others), deletes every object of the run's area, the lease last, and
 * says truthfully what could not be removed.
 */
public final class RunSweeper {
  /** Attempts per abort or delete, on top of the store SDK's own retries. */
  static final int ATTEMPTS = 3;
  /** Uploads of an unfinished intent count as the run's when started this long before it, at most. */
  private static final long CLOCK_SKEW_MILLIS = 5 * 60_000L;

  /** How long a sweep that aborted uploads waits before it aborts them again (late parts). */
  static final long SETTLE_MILLIS = 3_000;

  private final ObjectStore store;
  @Nullable private final Path localRoot;
  private final long settleMillis;

  /**
   * @param store the destination store
   * @param localRoot for a local destination, its root directory (empty directories of the area are
   *     removed too); null for object stores
   */
  public RunSweeper(ObjectStore store, @Nullable Path localRoot) {
    this(store, localRoot, SETTLE_MILLIS);
  }

  RunSweeper(ObjectStore store, @Nullable Path localRoot, long settleMillis) {
    this.store = store;
    this.localRoot = localRoot;
    this.settleMillis = settleMillis;
  }

  /**
   * What a sweep did.
   *
   * @param uploadsAborted journaled uploads aborted (an upload already completed or aborted counts
   *     too: aborting it is a no-op)
   * @param objectsDeleted objects (files) of the area deleted
   * @param leftovers what could not be removed, one line each
   */
  public record Result(int uploadsAborted, int objectsDeleted, List<String> leftovers) {
    public Result {
      leftovers = List.copyOf(leftovers);
    }

    public static Result empty() {
      return new Result(0, 0, List.of());
    }

    public Result plus(Result other) {
      List<String> all = new ArrayList<>(leftovers);
      all.addAll(other.leftovers);
      return new Result(uploadsAborted + other.uploadsAborted, objectsDeleted + other.objectsDeleted, all);
    }

    public boolean clean() {
      return leftovers.isEmpty();
    }
  }

  /** A run found in the area, with its lease when it has one. */
  public record Run(String id, Optional<Lease> lease, long objects) {
    /** Whether the run may still be running: it has a lease that is alive. */
    public boolean alive(long nowMillis) {
      return lease.isPresent() && lease.get().liveness(nowMillis) == Lease.Liveness.ALIVE;
    }
  }

  /**
   * Removes one run's area. With {@code abort} true, first aborts its journaled uploads whose key
   * {@code abortKey} accepts (and, for intents never completed, the store's unfinished uploads of
   * those keys that started then and that no other live run journaled).
   */
  public Result sweep(String run, boolean abort, Predicate<String> abortKey) {
    return sweep(run, abort, abortKey, null);
  }

  private Result sweep(String run, boolean abort, Predicate<String> abortKey, @Nullable Set<String> othersJournaled) {
    List<String> leftovers = new ArrayList<>();
    int aborted = 0;
    if (abort) {
      UploadJournal.Contents journal;
      try {
        journal = UploadJournal.read(store, run);
      } catch (IOException | RuntimeException e) {
        leftovers.add("cannot read the upload journal of run " + run + ": " + e.getMessage());
        return new Result(0, 0, leftovers); // keep the area: it is the only record of the uploads
      }
      List<MultipartUpload> uploads = new ArrayList<>();
      for (MultipartUpload upload : journal.uploads()) {
        if (abortKey.test(upload.key())) {
          uploads.add(upload);
        }
      }
      Set<String> others = othersJournaled;
      if (!journal.orphanIntents().isEmpty() && others == null) {
        others = liveJournaled(run, System.currentTimeMillis());
      }
      Set<String> notOurs = others;
      journal.orphanIntents().forEach((key, atMillis) -> {
        try {
          for (MultipartUpload pending : store.multipart().pending(key)) {
            boolean then = pending.startedMillis() <= 0 || pending.startedMillis() >= atMillis - CLOCK_SKEW_MILLIS;
            if (pending.key().equals(key) && then && !notOurs.contains(pending.uploadId())) {
              uploads.add(pending);
            }
          }
        } catch (IOException | RuntimeException e) {
          leftovers.add("cannot look up the uploads of " + store.uri(key) + ": " + e.getMessage());
        }
      });
      for (MultipartUpload upload : uploads) {
        String failure = retried(() -> store.multipart().abort(upload));
        if (failure == null) {
          aborted++;
        } else {
          leftovers.add("upload " + upload.uploadId() + " of " + store.uri(upload.key()) + ": " + failure);
        }
      }
      if (!uploads.isEmpty() && leftovers.isEmpty() && settleMillis > 0) {
        // A writer of a job that just ended may have had a part on the wire that the store takes
        // after the abort (an SDK's request is not always stopped by interrupting its thread; Azure
        // then keeps an uncommitted block): abort once more after a moment, before the journal goes.
        try {
          Thread.sleep(settleMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        for (MultipartUpload upload : uploads) {
          String failure = retried(() -> store.multipart().abort(upload));
          if (failure != null) {
            leftovers.add("upload " + upload.uploadId() + " of " + store.uri(upload.key()) + ": " + failure);
          }
        }
      }
      if (!leftovers.isEmpty()) {
        return new Result(aborted, 0, leftovers); // keep the journal for the next sweep
      }
    }
    int deleted = 0;
    String lease = Scratch.lease(run);
    boolean hasLease = false;
    List<String> keys = new ArrayList<>();
    try {
      for (ObjectInfo info : list(Scratch.prefix(run))) {
        if (Scratch.runOf(info.key()).filter(run::equals).isEmpty()) {
          continue; // another run whose id extends this one's: impossible with fixed-length ids
        }
        if (info.key().equals(lease)) {
          hasLease = true;
        } else {
          keys.add(info.key());
        }
      }
    } catch (IOException | RuntimeException e) {
      leftovers.add("cannot list " + store.uri(Scratch.prefix(run)) + ": " + e.getMessage());
      return new Result(aborted, 0, leftovers);
    }
    for (String key : keys) {
      String failure = retried(() -> store.delete(key));
      if (failure == null) {
        deleted++;
      } else {
        leftovers.add(store.uri(key) + ": " + failure);
      }
    }
    if (hasLease && leftovers.isEmpty()) { // the lease goes last: while it exists, the area is known
      String failure = retried(() -> store.delete(lease));
      if (failure == null) {
        deleted++;
      } else {
        leftovers.add(store.uri(lease) + ": " + failure);
      }
    }
    removeEmptyDirectories(run);
    return new Result(aborted, deleted, leftovers);
  }

  /** The runs that have anything in the area, with their leases. */
  public List<Run> runs() throws IOException {
    Map<String, Long> counts = new LinkedHashMap<>();
    Set<String> leased = new HashSet<>();
    for (ObjectInfo info : list(Scratch.ROOT)) {
      Optional<String> run = Scratch.runOf(info.key());
      if (run.isPresent()) {
        counts.merge(run.get(), 1L, Long::sum);
        if (info.key().equals(Scratch.lease(run.get()))) {
          leased.add(run.get());
        }
      }
    }
    List<Run> runs = new ArrayList<>();
    for (Map.Entry<String, Long> entry : counts.entrySet()) {
      Optional<Lease> lease = Optional.empty();
      if (leased.contains(entry.getKey())) {
        lease = readLease(entry.getKey());
      }
      runs.add(new Run(entry.getKey(), lease, entry.getValue()));
    }
    return runs;
  }

  private Optional<Lease> readLease(String run) {
    try {
      Optional<ObjectInfo> info = store.stat(Scratch.lease(run));
      if (info.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(Lease.parse(UploadJournal.readAll(store, info.get())));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // unreadable: treated like none
    }
  }

  /**
   * Removes the areas of every run but {@code except} that is dead (a stale lease, its process gone,
   * or no lease at all), aborting their journaled uploads. Live runs are left alone.
   */
  public Result sweepDead(@Nullable String except, long nowMillis) throws IOException {
    List<Run> runs = runs();
    Set<String> liveUploads = journaled(runs, except, nowMillis);
    Result result = Result.empty();
    for (Run run : runs) {
      if (run.id().equals(except) || run.alive(nowMillis)) {
        continue;
      }
      result = result.plus(sweep(run.id(), true, key -> true, liveUploads));
    }
    return result;
  }

  /** The upload ids journaled by every live run other than {@code except}. */
  private Set<String> liveJournaled(String except, long nowMillis) {
    try {
      return journaled(runs(), except, nowMillis);
    } catch (IOException | RuntimeException e) {
      return Set.of();
    }
  }

  /** The upload ids journaled by {@code except} and every live run. */
  private Set<String> journaled(List<Run> runs, @Nullable String except, long nowMillis) {
    Set<String> uploads = new HashSet<>();
    for (Run run : runs) {
      if (run.id().equals(except) || run.alive(nowMillis)) {
        try {
          UploadJournal.read(store, run.id()).uploads().forEach(u -> uploads.add(u.uploadId()));
        } catch (IOException | RuntimeException e) {
          // unreadable: its uploads cannot be told apart, the orphan-intent lookup may take them
        }
      }
    }
    return uploads;
  }

  private List<ObjectInfo> list(String prefix) throws IOException {
    List<ObjectInfo> all = new ArrayList<>();
    try (ObjectListing listing = store.list(prefix)) {
      while (listing.hasNext()) {
        all.add(listing.next());
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.NOT_FOUND && localRoot != null) {
        return all; // no area yet
      }
      throw e;
    }
    return all;
  }

  private interface Action {
    void run() throws IOException;
  }

  /** Runs {@code action} up to {@link #ATTEMPTS} times; null when it succeeded, else the last reason. */
  @Nullable
  private static String retried(Action action) {
    String reason = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        action.run();
        return null;
      } catch (IOException | RuntimeException e) {
        reason = e.getMessage();
        if (e instanceof StoreException store && !store.isRetryable()) {
          return reason;
        }
        try {
          Thread.sleep(200L << attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return reason + " (interrupted)";
        }
      }
    }
    return reason;
  }

  private void removeEmptyDirectories(String run) {
    if (localRoot == null) {
      return;
    }
    Path area = Scratch.localRun(localRoot, run);
    if (Files.isDirectory(area)) {
      try (Stream<Path> walk = Files.walk(area)) {
        walk.sorted(Comparator.reverseOrder()).filter(Files::isDirectory).forEach(RunSweeper::removeIfEmpty);
      } catch (IOException | UncheckedIOException e) {
        // a file appeared meanwhile: the next sweep takes it
      }
    }
    removeIfEmpty(localRoot.resolve(Scratch.ROOT));
  }

  private static void removeIfEmpty(Path directory) {
    try {
      Files.deleteIfExists(directory);
    } catch (DirectoryNotEmptyException | NoSuchFileException e) {
      // in use by another run, or gone
    } catch (IOException e) {
      // left for the next sweep
    }
  }
}
