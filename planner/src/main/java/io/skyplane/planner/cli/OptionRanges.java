package io.skyplane.planner.cli;

/**
 * Range checks of the command lines' numeric options (plan, topology here; cp, sync, profile, deploy
 * in the job module). Every failure is an {@link IllegalArgumentException} whose message names the
 * option and quotes the bad value: {@code -p/--parallelism must be between 1 and 1024, got 0}.
 * Bounds are inclusive; NaN is never in range.
 */
public final class OptionRanges {
  private OptionRanges() {}

  /** {@code value} when {@code min <= value <= max}. */
  public static int check(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw outOfRange(option, min, max, Integer.toString(value));
    }
    return value;
  }

  /** {@code value} when {@code min <= value <= max}. */
  public static long check(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw outOfRange(option, min, max, Long.toString(value));
    }
    return value;
  }

  /**
   * {@code value} when {@code min <= value <= max} (finite); {@code given} is the option's text as
   * the user wrote it, quoted in the message; {@code range} says the range, e.g. "between 0 and 86400 s".
   */
  public static double check(String option, double value, double min, double max, String range, String given) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(option + " must be " + range + ", got '" + given + "'");
    }
    return value;
  }

  /** The failure of a value outside {@code min..max}. */
  public static IllegalArgumentException outOfRange(String option, long min, long max, String given) {
    return new IllegalArgumentException(option + " must be between " + min + " and " + max + ", got " + given);
  }
}
