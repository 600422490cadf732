package io.skyplane.planner.region;

import java.util.Locale;

/** A cloud provider. The lower-case name is the prefix of a region id ({@code aws:us-east-1}). */
public enum Cloud {
  AWS,
  GCP,
  AZURE;

  /** The prefix used in region ids, e.g. {@code "aws"}. */
  public String prefix() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a provider prefix such as {@code aws}, {@code gcp} or {@code azure}.
   *
   * @throws IllegalArgumentException naming the text when it is not a known provider
   */
  public static Cloud parse(String text) {
    for (Cloud cloud : values()) {
      if (cloud.prefix().equalsIgnoreCase(text.trim())) {
        return cloud;
      }
    }
    throw new IllegalArgumentException(
        "unknown cloud '" + text + "' (expected aws, gcp or azure)");
  }
}
