package io.skyplane.planner.cli;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the CLI's quantities: sizes ({@code 500GB}, {@code 1.5TiB}), rates ({@code 10Gbps},
 * {@code 800Mbps}, {@code 1.2GB/s}) and money ({@code 40USD}, {@code $40}, {@code 40}). Decimal
 * units are powers of 1000, binary ({@code KiB}...) of 1024. All must be positive and finite.
 */
public final class Quantities {

  private static final Pattern NUMBER_UNIT = Pattern.compile("\\s*([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*([a-zA-Z/$]*)\\s*");

  private static final Map<String, Double> BYTES = Map.ofEntries(
      Map.entry("b", 1.0), Map.entry("kb", 1e3), Map.entry("mb", 1e6), Map.entry("gb", 1e9),
      Map.entry("tb", 1e12), Map.entry("pb", 1e15), Map.entry("kib", 1024.0),
      Map.entry("mib", Math.pow(1024, 2)), Map.entry("gib", Math.pow(1024, 3)),
      Map.entry("tib", Math.pow(1024, 4)), Map.entry("pib", Math.pow(1024, 5)));

  private static final Map<String, Double> GBPS = Map.ofEntries(
      Map.entry("bps", 1e-9), Map.entry("kbps", 1e-6), Map.entry("mbps", 1e-3), Map.entry("gbps", 1.0),
      Map.entry("tbps", 1e3), Map.entry("mb/s", 8e-3), Map.entry("gb/s", 8.0), Map.entry("mib/s", 8 * 1.048576e-3),
      Map.entry("gib/s", 8 * 1.073741824));

  private Quantities() {}

  /** A size in GB (10^9 bytes); a unit is required. */
  public static double parseSizeGb(String text, String what) {
    Matcher m = match(text, what, "500GB");
    Double factor = BYTES.get(m.group(2).toLowerCase(Locale.ROOT));
    if (factor == null) {
      throw new IllegalArgumentException(what + " '" + text + "' needs a size unit (B, KB, MB, GB, TB, PB, KiB ... PiB), e.g. 500GB");
    }
    return positive(Double.parseDouble(m.group(1)) * factor / 1e9, text, what);
  }

  /** A rate in Gbps; a unit is required. */
  public static double parseRateGbps(String text, String what) {
    Matcher m = match(text, what, "10Gbps");
    Double factor = GBPS.get(m.group(2).toLowerCase(Locale.ROOT));
    if (factor == null) {
      throw new IllegalArgumentException(what + " '" + text + "' needs a rate unit (Mbps, Gbps, Tbps, MB/s, GB/s), e.g. 10Gbps");
    }
    return positive(Double.parseDouble(m.group(1)) * factor, text, what);
  }

  /** An amount in USD: {@code 40}, {@code 40USD} or {@code $40}. */
  public static double parseUsd(String text, String what) {
    String t = text == null ? "" : text.trim();
    if (t.startsWith("$")) {
      t = t.substring(1);
    }
    Matcher m = match(t, what, "40USD");
    String unit = m.group(2);
    if (!unit.isEmpty() && !unit.equalsIgnoreCase("usd")) {
      throw new IllegalArgumentException(what + " '" + text + "' must be in USD, e.g. 40USD");
    }
    return positive(Double.parseDouble(m.group(1)), text, what);
  }

  private static Matcher match(String text, String what, String example) {
    Matcher m = NUMBER_UNIT.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException(what + " '" + text + "' is not a positive number with a unit, e.g. " + example);
    }
    return m;
  }

  private static double positive(double value, String text, String what) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(what + " must be > 0, got '" + text + "'");
    }
    return value;
  }
}
