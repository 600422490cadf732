package io.skyplane.job.testing;

import java.util.Locale;

/** The kinds of location a cross-store IT copies between. */
public enum StoreKind {
  LOCAL,
  S3,
  GS,
  AZURE;

  /** Lower case, for bucket names and test names. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return label();
  }
}
