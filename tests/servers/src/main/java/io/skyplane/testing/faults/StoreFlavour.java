package io.skyplane.testing.faults;

import java.util.Locale;

/** Which store the proxy imitates when it answers an error itself (status, headers, body). */
public enum StoreFlavour {
  S3,
  GCS,
  AZURE;

  /** The status a throttled request gets: 503 SlowDown (S3), 429 (GCS), 503 ServerBusy (Azure). */
  public int throttleStatus() {
    return this == GCS ? 429 : 503;
  }

  /** The lower-case name used on the command line ({@code --store s3|gcs|azure}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code s3}, {@code gcs} or {@code azure} (any case); fails naming the bad value. */
  public static StoreFlavour parse(String s) {
    for (StoreFlavour f : values()) {
      if (f.key().equalsIgnoreCase(s.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown store flavour '" + s + "' (s3, gcs or azure)");
  }
}
