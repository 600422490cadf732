package io.skyplane.planner.region;

import static java.util.Objects.requireNonNull;

/** A region with where it is: continent (for price rules) and location (for distances). */
public record Region(RegionId id, Continent continent, double latitude, double longitude, String city) {

  private static final double EARTH_RADIUS_KM = 6371.0;

  public Region {
    requireNonNull(id, "id is null");
    requireNonNull(continent, "continent is null");
    requireNonNull(city, "city is null");
    if (latitude < -90 || latitude > 90 || longitude < -180 || longitude > 180) {
      throw new IllegalArgumentException("bad location for " + id + ": " + latitude + "," + longitude);
    }
  }

  public Cloud cloud() {
    return id.cloud();
  }

  /** Great-circle (haversine) distance to another region in kilometres. */
  public double distanceKm(Region other) {
    double lat1 = Math.toRadians(latitude);
    double lat2 = Math.toRadians(other.latitude);
    double dLat = lat2 - lat1;
    double dLon = Math.toRadians(other.longitude - longitude);
    double a =
        Math.pow(Math.sin(dLat / 2), 2)
            + Math.cos(lat1) * Math.cos(lat2) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
  }
}
