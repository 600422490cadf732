package io.skyplane.job.model;

/** How a frame's payload is encoded on the wire. */
public enum Codec {
  /** Raw bytes. */
  NONE,
  /** One zstd frame holding the raw bytes. */
  ZSTD
}
