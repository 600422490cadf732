package io.skyplane.planner.region;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * A cloud region id such as {@code aws:us-east-1}, {@code gcp:europe-west4} or {@code
 * azure:westeurope}. GCP zone ids ({@code gcp:us-central1-a}) are normalised to their region.
 */
public record RegionId(Cloud cloud, String name) implements Comparable<RegionId> {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final Pattern GCP_ZONE = Pattern.compile("(.*[0-9])-[a-z]");

  public RegionId {
    requireNonNull(cloud, "cloud is null");
    requireNonNull(name, "name is null");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "bad region name '" + name + "' in '" + cloud.prefix() + ":" + name + "'");
    }
  }

  /**
   * Parses {@code provider:region}; a GCP zone suffix ({@code -a}, {@code -b} ...) is dropped.
   *
   * @throws IllegalArgumentException quoting the text when it is not a region id
   */
  @JsonCreator
  public static RegionId parse(String text) {
    requireNonNull(text, "text is null");
    String trimmed = text.trim();
    int colon = trimmed.indexOf(':');
    if (colon <= 0 || trimmed.contains("://")) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a region id (expected provider:region, e.g. aws:us-east-1)");
    }
    Cloud cloud;
    try {
      cloud = Cloud.parse(trimmed.substring(0, colon));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a region id: " + e.getMessage(), e);
    }
    String name = trimmed.substring(colon + 1).toLowerCase(java.util.Locale.ROOT);
    if (cloud == Cloud.GCP) {
      var zone = GCP_ZONE.matcher(name);
      if (zone.matches()) {
        name = zone.group(1);
      }
    }
    return new RegionId(cloud, name);
  }

  @Override
  public int compareTo(RegionId other) {
    return toString().compareTo(other.toString());
  }

  @JsonValue
  @Override
  public String toString() {
    return cloud.prefix() + ":" + name;
  }
}
