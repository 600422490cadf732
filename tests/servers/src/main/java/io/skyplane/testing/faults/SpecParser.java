package io.skyplane.testing.faults;

import io.skyplane.testing.faults.FaultSpec.Drip;
import io.skyplane.testing.faults.FaultSpec.ExpectAnswer;
import io.skyplane.testing.faults.FaultSpec.Failure;
import io.skyplane.testing.faults.FaultSpec.Filter;
import io.skyplane.testing.faults.FaultSpec.Reset;
import io.skyplane.testing.faults.FaultSpec.ResetPoint;
import io.skyplane.testing.faults.FaultSpec.Stall;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints {@link FaultSpec} strings (grammar in {@link FaultSpec}). */
final class SpecParser {
  private static final Pattern AMOUNT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)");
  private static final long KIB = 1024;
  private static final long MIB = KIB * KIB;
  private static final List<String> KEYS = List.of("throttle", "error", "reset", "stall", "drip",
      "down", "always", "expect", "seed", "methods", "skip", "path");

  private SpecParser() {}

  static FaultSpec parse(String spec) {
    String s = spec.trim();
    if (s.isEmpty() || s.equalsIgnoreCase("none")) {
      return FaultSpec.none();
    }
    double throttle = 0;
    Failure error = Failure.OFF;
    Reset reset = Reset.OFF;
    Stall stall = Stall.OFF;
    Drip drip = Drip.OFF;
    int down = 0;
    ExpectAnswer expect = ExpectAnswer.REFUSE;
    long seed = FaultSpec.DEFAULT_SEED;
    Set<String> methods = Set.of();
    String path = null;
    int skip = 0;
    Set<String> seen = new HashSet<>();
    int i = 0;
    while (i < s.length()) {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      String item;
      if (s.startsWith("path=", i)) {
        int end = pathEnd(s, i + "path=".length());
        item = s.substring(i, end);
        i = end + 1;
      } else {
        int comma = s.indexOf(',', i);
        int end = comma < 0 ? s.length() : comma;
        item = s.substring(i, end).trim();
        i = end + 1;
      }
      if (item.isEmpty()) {
        continue;
      }
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw bad(spec, "'" + item + "' is not key=value");
      }
      String key = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = key.equals("path") ? item.substring(eq + 1) : item.substring(eq + 1).trim();
      String canonicalKey = key.equals("always") ? "down" : key;
      if (!seen.add(canonicalKey)) {
        throw bad(spec, "'" + key + "' given twice");
      }
      try {
        switch (key) {
          case "throttle" -> throttle = probability(value);
          case "error" -> {
            String[] pv = value.split(":", 2);
            List<Integer> statuses = new ArrayList<>();
            if (pv.length == 2) {
              for (String st : pv[1].split("\\+")) {
                statuses.add(Integer.parseInt(st.trim()));
              }
            } else {
              statuses.add(500);
            }
            error = new Failure(probability(pv[0]), statuses);
          }
          case "reset" -> {
            String[] pv = value.split(":", 2);
            ResetPoint at = pv.length == 2
                ? ResetPoint.valueOf(pv[1].trim().toUpperCase(Locale.ROOT)) : ResetPoint.ANY;
            reset = new Reset(probability(pv[0]), at);
          }
          case "stall" -> {
            String[] pv = value.split(":", 2);
            if (pv.length != 2) {
              throw new IllegalArgumentException("stall needs P:DURATION, e.g. stall=0.01:2s");
            }
            stall = new Stall(probability(pv[0]), duration(pv[1]));
          }
          case "drip" -> {
            String[] pv = value.split(":", 2);
            if (pv.length != 2) {
              throw new IllegalArgumentException("drip needs P:RATE, e.g. drip=0.01:256KiB/s");
            }
            drip = new Drip(probability(pv[0]), rate(pv[1]));
          }
          case "down", "always" -> down = Integer.parseInt(value);
          case "expect" -> expect = ExpectAnswer.valueOf(value.toUpperCase(Locale.ROOT));
          case "seed" -> seed = Long.parseLong(value);
          case "methods" -> {
            Set<String> ms = new HashSet<>();
            for (String m : value.split("\\+")) {
              if (!m.isBlank()) {
                ms.add(m.trim());
              }
            }
            methods = ms;
          }
          case "skip" -> skip = Integer.parseInt(value);
          case "path" -> path = value;
          default -> throw new IllegalArgumentException("unknown key '" + key + "'");
        }
      } catch (IllegalArgumentException e) {
        throw bad(spec, item + ": " + e.getMessage());
      }
    }
    try {
      return new FaultSpec(throttle, error, reset, stall, drip, down, expect, seed,
          new Filter(methods, path, skip));
    } catch (IllegalArgumentException e) {
      throw bad(spec, e.getMessage());
    }
  }

  /**
   * Where a path regex starting at {@code from} ends: before the next {@code ,KEY=} of a known key
   * (so the regex may hold commas, e.g. {@code {1,3}}), else at the end of the spec.
   */
  private static int pathEnd(String s, int from) {
    for (int c = s.indexOf(',', from); c >= 0; c = s.indexOf(',', c + 1)) {
      String rest = s.substring(c + 1).stripLeading().toLowerCase(Locale.ROOT);
      for (String key : KEYS) {
        if (rest.startsWith(key + "=")) {
          return c;
        }
      }
    }
    return s.length();
  }

  static double probability(String v) {
    String t = v.trim();
    double p = t.endsWith("%")
        ? Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100
        : Double.parseDouble(t);
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("probability not in [0, 1]: " + v);
    }
    return p;
  }

  static Duration duration(String v) {
    Matcher m = AMOUNT.matcher(v.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("bad duration '" + v + "' (e.g. 500ms, 2s, 1m)");
    }
    BigDecimal n = new BigDecimal(m.group(1));
    BigDecimal ms = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "ms" -> n;
      case "", "s" -> n.movePointRight(3);
      case "m" -> n.multiply(BigDecimal.valueOf(60_000));
      default -> throw new IllegalArgumentException("bad duration unit in '" + v + "'");
    };
    return Duration.ofMillis(ms.longValue());
  }

  static long rate(String v) {
    String t = v.trim();
    if (t.toLowerCase(Locale.ROOT).endsWith("/s")) {
      t = t.substring(0, t.length() - 2);
    }
    Matcher m = AMOUNT.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("bad rate '" + v + "' (e.g. 256KiB/s)");
    }
    long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "", "b" -> 1;
      case "kb" -> 1000;
      case "kib" -> KIB;
      case "mb" -> 1000_000;
      case "mib" -> MIB;
      case "gb" -> 1000_000_000;
      case "gib" -> MIB * KIB;
      default -> throw new IllegalArgumentException("bad rate unit in '" + v + "'");
    };
    long bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).longValue();
    if (bytes <= 0) {
      throw new IllegalArgumentException("rate must be positive: " + v);
    }
    return bytes;
  }

  static String duration(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  static String rate(long bytesPerSecond) {
    if (bytesPerSecond % MIB == 0) {
      return bytesPerSecond / MIB + "MiB/s";
    }
    if (bytesPerSecond % KIB == 0) {
      return bytesPerSecond / KIB + "KiB/s";
    }
    return bytesPerSecond + "B/s";
  }

  private static IllegalArgumentException bad(String spec, String detail) {
    return new IllegalArgumentException("bad fault spec '" + spec + "': " + detail);
  }
}
