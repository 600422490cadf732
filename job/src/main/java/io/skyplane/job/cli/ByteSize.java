package io.skyplane.job.cli;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints byte sizes. Binary units: K, M, G, T, P, KiB, MiB, GiB, TiB, PiB; decimal units:
 * KB, MB, GB, TB, PB; no unit (or B) is bytes. Parsing is exact: a size is a whole number of bytes
 * from 0 to {@link Long#MAX_VALUE}; a negative size, a fraction of a byte ({@code 0.1K}) and a size
 * that does not fit ({@code 9000000T}) are refused, never rounded or clamped.
 */
public final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("([-+]?)(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)");
  private static final String UNITS = "B, K/KiB, M/MiB, G/GiB, T/TiB, P/PiB, KB, MB, GB, TB, PB";

  private ByteSize() {}

  /** As {@link #parse(String, String)} for a size that no option names. */
  public static long parse(String text) {
    return parse(text, "size");
  }

  /**
   * The number of bytes {@code text} names.
   *
   * @param option what the size is, for messages, e.g. {@code --chunk-size}
   * @throws IllegalArgumentException naming {@code option} and quoting {@code text} when it is not a
   *     size, is negative, is not a whole number of bytes or is above {@link Long#MAX_VALUE}
   */
  public static long parse(String text, String option) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " must be a size such as 64MiB, 8M or 1GB, got '" + text + "'");
    }
    if (m.group(1).equals("-") && new BigDecimal(m.group(2)).signum() != 0) {
      throw new IllegalArgumentException(option + " must not be negative, got '" + text + "'");
    }
    BigDecimal bytes = new BigDecimal(m.group(2)).multiply(BigDecimal.valueOf(unit(m.group(3), text, option)));
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException(option + " '" + text + "' is too large (at most 8EiB)");
    }
    if (bytes.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(option + " must be a whole number of bytes, got '" + text + "' ("
          + bytes.stripTrailingZeros().toPlainString() + " bytes)");
    }
    return bytes.longValueExact();
  }

  private static long unit(String unit, String text, String option) {
    switch (unit.toLowerCase(Locale.ROOT)) {
      case "": case "b": return 1;
      case "k": case "kib": return 1L << 10;
      case "m": case "mib": return 1L << 20;
      case "g": case "gib": return 1L << 30;
      case "t": case "tib": return 1L << 40;
      case "p": case "pib": return 1L << 50;
      case "kb": return 1000L;
      case "mb": return 1000L * 1000;
      case "gb": return 1000L * 1000 * 1000;
      case "tb": return 1000L * 1000 * 1000 * 1000;
      case "pb": return 1000L * 1000 * 1000 * 1000 * 1000;
      default:
        throw new IllegalArgumentException(option + ": unknown unit '" + unit + "' in '" + text + "' (" + UNITS + ")");
    }
  }

  /** Formats with binary units, e.g. "1.5 GiB". */
  public static String format(double bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int i = 0;
    double value = bytes;
    while (Math.abs(value) >= 1024 && i < units.length - 1) {
      value /= 1024;
      i++;
    }
    return i == 0 ? String.format(Locale.ROOT, "%.0f %s", value, units[i])
        : String.format(Locale.ROOT, "%.1f %s", value, units[i]);
  }

  /** The shortest exact text of a size for messages and suggestions: "64KiB", "5MiB", "1GiB", "1000B". */
  public static String exact(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int i = 0;
    long value = bytes;
    while (value != 0 && value % 1024 == 0 && i < units.length - 1) {
      value /= 1024;
      i++;
    }
    return value + units[i];
  }
}
