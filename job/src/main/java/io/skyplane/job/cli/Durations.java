package io.skyplane.job.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations such as {@code 5s}, {@code 500ms}, {@code 1.5s}, {@code 2min} ({@code 2m}),
 * {@code 1h}; a bare number is seconds. Exact to the millisecond; nothing is clamped.
 */
final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)");
  /** Longer than any option takes, and far below what a Duration of nanoseconds holds. */
  private static final BigDecimal MAX_MILLIS = BigDecimal.valueOf(Duration.ofDays(365).toMillis());

  private Durations() {}

  /** @throws IllegalArgumentException naming {@code option} and quoting the text */
  static Duration parse(String text, String option) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " must be a duration such as 5s or 500ms, got '" + text + "'");
    }
    long millisPerUnit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "", "s", "sec", "secs" -> 1000;
      case "ms" -> 1;
      case "m", "min", "mins" -> 60_000;
      case "h" -> 3_600_000;
      default -> throw new IllegalArgumentException(option + ": unknown unit '" + m.group(2) + "' in '" + text
          + "' (ms, s, min, h)");
    };
    BigDecimal millis = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(millisPerUnit));
    if (millis.compareTo(MAX_MILLIS) > 0) {
      throw new IllegalArgumentException(option + " '" + text + "' is too long (at most 365 days)");
    }
    return Duration.ofMillis(millis.setScale(0, RoundingMode.HALF_UP).longValueExact());
  }

  /**
   * As {@link #parse(String, String)}, and between {@code min} and {@code max}.
   *
   * @throws IllegalArgumentException naming {@code option}, the range and quoting the text
   */
  static Duration parse(String text, String option, Duration min, Duration max) {
    Duration value = parse(text, option);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(option + " must be between " + format(min) + " and " + format(max)
          + ", got '" + text + "'");
    }
    return value;
  }

  /** "100ms", "5s", "10min", "24h". */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "min";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
