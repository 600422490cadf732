package io.skyplane.job.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints byte sizes. Binary units: K, M, G, T, KiB, MiB, GiB, TiB; decimal units: KB, MB,
 * GB, TB; no unit (or B) is bytes.
 */
public final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)");

  private ByteSize() {}

  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid size '" + text + "': expected e.g. 64MiB, 8M, 1GB");
    }
    double number = Double.parseDouble(m.group(1));
    long unit;
    switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "": case "b": unit = 1; break;
      case "k": case "kib": unit = 1L << 10; break;
      case "m": case "mib": unit = 1L << 20; break;
      case "g": case "gib": unit = 1L << 30; break;
      case "t": case "tib": unit = 1L << 40; break;
      case "kb": unit = 1000L; break;
      case "mb": unit = 1000L * 1000; break;
      case "gb": unit = 1000L * 1000 * 1000; break;
      case "tb": unit = 1000L * 1000 * 1000 * 1000; break;
      default:
        throw new IllegalArgumentException("invalid size unit '" + m.group(2) + "' in '" + text + "'");
    }
    return Math.round(number * unit);
  }

  /** Formats with binary units, e.g. "1.5 GiB". */
  public static String format(double bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int i = 0;
    double value = bytes;
    while (Math.abs(value) >= 1024 && i < units.length - 1) {
      value /= 1024;
      i++;
    }
    return i == 0 ? String.format(Locale.ROOT, "%.0f %s", value, units[i])
        : String.format(Locale.ROOT, "%.1f %s", value, units[i]);
  }
}
