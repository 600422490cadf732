package io.skyplane.job.source;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.transfer.TransferSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import javax.annotation.Nullable;

/**
 * What the client knows of a transfer's source without holding its listing: how many objects and
 * bytes, and the largest object (for the destination's part limits). Counted as the source streams
 * by, in one pass ({@link #scan}); nothing of the listing is kept.
 *
 * @param objects objects listed
 * @param bytes their bytes
 * @param largest the largest object, or null when there is none
 */
public record SourceTotals(long objects, long bytes, @Nullable SourceObject largest) {
  /** How often (in objects) {@link #scan} reports how many it listed so far. */
  public static final long REPORT_EVERY = 100_000;

  /** No objects. */
  public static final SourceTotals NONE = new SourceTotals(0, 0, null);

  public SourceTotals {
    if (objects < 0 || bytes < 0) {
      throw new IllegalArgumentException("negative totals: " + objects + " objects, " + bytes + " bytes");
    }
  }

  /** The totals of {@code objects} (already in memory: a sync's copies, tests). */
  public static SourceTotals of(Collection<SourceObject> objects) {
    SourceTotals totals = NONE;
    for (SourceObject object : objects) {
      totals = totals.plus(object);
    }
    return totals;
  }

  /** These totals and {@code object}. */
  public SourceTotals plus(SourceObject object) {
    SourceObject bigger = largest == null || object.size() > largest.size() ? object : largest;
    return new SourceTotals(objects + 1, bytes + object.size(), bigger);
  }

  /**
   * Streams the source (all of it, or only {@code onlyKeys}) once, opening every local file once,
   * passing each object to {@code check} (which throws to refuse it) and every {@link #REPORT_EVERY}
   * objects the count so far to {@code listedSoFar}. Memory holds one page of the listing at most.
   *
   * @throws IOException naming the unreadable path, the missing bucket or the refused credentials
   * @throws IllegalArgumentException (or whatever else {@code check} throws) for a refused object
   */
  public static SourceTotals scan(TransferSpec spec, @Nullable Set<String> onlyKeys, Consumer<SourceObject> check,
      LongConsumer listedSoFar) throws IOException {
    requireNonNull(check, "check is null");
    requireNonNull(listedSoFar, "listedSoFar is null");
    long count = 0;
    long bytes = 0;
    SourceObject largest = null;
    try (SourceListing listing = SourceListing.open(spec, onlyKeys, true)) {
      while (listing.hasNext()) {
        SourceObject object = listing.next();
        check.accept(object);
        count++;
        bytes += object.size();
        if (largest == null || object.size() > largest.size()) {
          largest = object;
        }
        if (count % REPORT_EVERY == 0) {
          listedSoFar.accept(count);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return new SourceTotals(count, bytes, largest);
  }
}
