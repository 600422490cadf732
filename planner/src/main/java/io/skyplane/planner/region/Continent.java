package io.skyplane.planner.region;

import java.util.Locale;

/** Continents as the providers' price lists group them. */
public enum Continent {
  NORTH_AMERICA,
  SOUTH_AMERICA,
  EUROPE,
  ASIA,
  OCEANIA,
  MIDDLE_EAST,
  AFRICA;

  /** The id used in files, e.g. {@code north-america}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses an id such as {@code north-america}. */
  public static Continent parse(String text) {
    for (Continent continent : values()) {
      if (continent.id().equalsIgnoreCase(text.trim())) {
        return continent;
      }
    }
    throw new IllegalArgumentException("unknown continent '" + text + "'");
  }
}
