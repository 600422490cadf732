package io.skyplane.store;

/**
 * How an object is written besides its bytes.
 *
 * @param tag the writer's tag (lower-case letters and digits, at most 16, or ""): a store that
 *     keeps a temporary object while writing names it {@code .skyplane-tmp/<tag>-...} at its root, so
 *     that the tag's owner finds what a crash left (see {@link MultipartWriter#create(String, String)})
 * @param modifiedMillis the source's modification time (epoch millis), kept by a store that sets
 *     times (local files); other stores set their own time and ignore it; 0: the time of the write
 */
public record WriteOptions(String tag, long modifiedMillis) {
  /** No tag, the time of the write. */
  public static final WriteOptions NONE = new WriteOptions("", 0);

  public WriteOptions {
    MultipartWriter.checkTag(tag);
    if (modifiedMillis < 0) {
      throw new IllegalArgumentException("modification time must be >= 0, got " + modifiedMillis);
    }
  }
}
