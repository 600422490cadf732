package io.skyplane.job.transfer;

import static java.util.Objects.requireNonNull;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * When this client process started and when it reached each step of a run's start-up (options
 * parsed, source listed, cluster started, job submitted): the origin of the report's
 * {@code processStartToFirstByteSeconds} and the start-up line in the log.
 *
 * <p>The origin is the launcher's start when {@code bin/skyplane} passed it
 * ({@code -Dskyplane.launch.millis}: the script and the JVM are one process, the script exec's
 * java), else the JVM's start. A value that is not a plausible time (unparsable, in the future, or
 * more than a day old) is ignored for the JVM's start.
 */
public final class StartupClock {
  /** Set by bin/skyplane: epoch milliseconds when the launcher script started. */
  public static final String LAUNCH_PROPERTY = "skyplane.launch.millis";
  private static final long MAX_LAUNCH_AGE_MILLIS = 24L * 3600 * 1000;
  private static final List<Step> STEPS = new ArrayList<>();
  private static volatile long origin = -1;
  private static volatile long mainMillis = -1;

  private StartupClock() {}

  /** A step of the start-up and when it was reached (epoch milliseconds). */
  public record Step(String name, long atMillis) {
    public Step {
      requireNonNull(name, "name is null");
    }
  }

  /** Records that this process's main method started now (once per process). */
  public static void markMain() {
    mainMillis = System.currentTimeMillis();
  }

  /**
   * Records that a command started with {@code step} now, forgetting the steps of earlier
   * commands in this JVM (tests run many; most never reach a transfer).
   */
  public static void begin(String step) {
    synchronized (STEPS) {
      STEPS.clear();
    }
    mark(step);
  }

  /** Records that start-up reached {@code step} now. */
  public static void mark(String step) {
    Step reached = new Step(step, System.currentTimeMillis());
    synchronized (STEPS) {
      STEPS.add(reached);
    }
  }

  /** The steps reached since the last {@link #describe}, oldest first; forgets them. */
  static List<Step> takeSteps() {
    synchronized (STEPS) {
      List<Step> taken = List.copyOf(STEPS);
      STEPS.clear();
      return taken;
    }
  }

  /** Epoch milliseconds when this process started (the launcher's start, else the JVM's). */
  public static long originMillis() {
    long known = origin;
    if (known < 0) {
      known = launchMillis(System.getProperty(LAUNCH_PROPERTY), System.currentTimeMillis());
      if (known < 0) {
        known = ManagementFactory.getRuntimeMXBean().getStartTime();
      }
      origin = known;
    }
    return known;
  }

  /** {@code value} as the launcher's start, or -1 when it is missing or not a plausible time at {@code now}. */
  static long launchMillis(String value, long now) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      long millis = Long.parseLong(value.trim());
      return millis <= now && now - millis <= MAX_LAUNCH_AGE_MILLIS ? millis : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * One line for the log: when main started, each step of the command, as its time since the
   * process started, then the first read ({@code firstReadAtMillis}, epoch milliseconds; left out when
   * negative: nothing was read), e.g. {@code main +0.21 s, options parsed +0.38 s, ...,
   * first chunk read +1.40 s}. Forgets the steps (a JVM that runs several transfers, as the tests
   * do, describes each run's own).
   */
  public static String describe(long firstReadAtMillis) {
    long start = originMillis();
    StringBuilder line = new StringBuilder();
    if (mainMillis >= 0) {
      append(line, "main", mainMillis - start);
    }
    for (Step step : takeSteps()) {
      append(line, step.name(), step.atMillis() - start);
    }
    if (firstReadAtMillis >= 0) {
      append(line, "first chunk read", firstReadAtMillis - start);
    }
    return line.toString();
  }

  private static void append(StringBuilder line, String name, long millis) {
    if (line.length() > 0) {
      line.append(", ");
    }
    line.append(name).append(String.format(" +%.2f s", millis / 1000.0));
  }
}
