package io.skyplane.testing.faults;

import java.util.Locale;

/** What the fault proxy did to one request. */
public enum FaultKind {
  /** Forwarded untouched (also requests outside the filters or within {@code skip}). */
  NONE,
  /** Answered with the store's throttling error without forwarding (S3/Azure 503, GCS 429). */
  THROTTLE,
  /** Answered with the store's internal error (500, or another configured 5xx) without forwarding. */
  ERROR,
  /** TCP reset while the request body is read or part-way through the response. */
  RESET,
  /** The response paused part-way for a while, then carried on. */
  STALL,
  /** The response body sent at a slow rate. */
  DRIP,
  /** Only-errors mode: answered with the configured error without forwarding. */
  DOWN;

  /** The lower-case name used in the spec grammar and the stats JSON. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
