package io.skyplane.job.model;

/** How a frame's payload is encoded on the wire. */
public enum Codec {
  /** Raw bytes. */
  NONE,
  /** One zstd frame holding the raw bytes. */
  ZSTD,
  /**
   * Not data: the source could not read the chunk (after the store's retries and resumes, or it
   * changed since it was listed). The payload is the reason, UTF-8; the frame is the chunk's last.
   * Its object fails; every other object goes on.
   */
  FAILED
}
