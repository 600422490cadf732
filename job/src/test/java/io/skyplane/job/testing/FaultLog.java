package io.skyplane.job.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the {@link FaultyStoreFactory} stores did, over the whole JVM (each task opens its own
 * store instance). Reset before each test.
 */
public final class FaultLog {
  static final AtomicInteger MATCHING_UPLOADS = new AtomicInteger();
  static final AtomicInteger COMPLETE_FAULTS = new AtomicInteger();
  static final AtomicInteger UPLOAD_FAULTS = new AtomicInteger();
  /** The part number whose upload was made to fail, or 0. */
  static final AtomicInteger FAILED_PART = new AtomicInteger();
  private static final List<String> EVENTS = new CopyOnWriteArrayList<>();

  private FaultLog() {}

  public static void reset() {
    MATCHING_UPLOADS.set(0);
    COMPLETE_FAULTS.set(0);
    UPLOAD_FAULTS.set(0);
    FAILED_PART.set(0);
    EVENTS.clear();
  }

  static void record(String event) {
    EVENTS.add(event);
  }

  /**
   * Every write call on a faulty store, in order: "create KEY", "upload KEY #N", "complete KEY",
   * "completed KEY" (the real complete returned), "abort KEY", "put KEY", and "fault ..." for each
   * injected failure.
   */
  public static List<String> events() {
    return List.copyOf(EVENTS);
  }

  /** How many events are exactly {@code event}. */
  public static long count(String event) {
    return EVENTS.stream().filter(event::equals).count();
  }
}
