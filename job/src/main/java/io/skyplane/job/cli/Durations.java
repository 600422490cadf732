package io.skyplane.job.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations such as {@code 5s}, {@code 500ms}, {@code 1.5s}, {@code 2min} ({@code 2m}), {@code 1h}; a bare number is seconds. */
final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)");

  private Durations() {}

  /** @throws IllegalArgumentException naming {@code option} and quoting the text */
  static Duration parse(String text, String option) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " must be a duration such as 5s or 500ms, got '" + text + "'");
    }
    double nanosPerUnit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "", "s", "sec", "secs" -> 1e9;
      case "ms" -> 1e6;
      case "m", "min", "mins" -> 60e9;
      case "h" -> 3600e9;
      default -> throw new IllegalArgumentException(option + ": unknown unit '" + m.group(2) + "' in '" + text
          + "' (ms, s, min, h)");
    };
    return Duration.ofNanos(Math.round(Double.parseDouble(m.group(1)) * nanosPerUnit));
  }
}
