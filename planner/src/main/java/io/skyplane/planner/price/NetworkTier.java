package io.skyplane.planner.price;

import java.util.Locale;

/** GCP's network service tier. AWS and Azure have one tier, priced as PREMIUM rules (tier {@code *}). */
public enum NetworkTier {
  PREMIUM,
  STANDARD;

  public static NetworkTier parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown network tier '" + text + "' (premium or standard)", e);
    }
  }
}
