package io.skyplane.job.codec;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.model.Codec;
import java.io.Serializable;
import java.util.Locale;

/**
 * The compression a transfer applies before data leaves the source: {@code none}, or zstd at a
 * level (1 is the default: ~640 MB/s per core, most of the ratio of higher levels).
 */
public record Compression(Codec codec, int level) implements Serializable {
  public static final Compression NONE = new Compression(Codec.NONE, 0);
  public static final Compression DEFAULT = new Compression(Codec.ZSTD, 1);
  private static final int MIN_LEVEL = -7;
  private static final int MAX_LEVEL = 19;

  public Compression {
    requireNonNull(codec, "codec is null");
    if (codec == Codec.ZSTD && (level < MIN_LEVEL || level > MAX_LEVEL || level == 0)) {
      throw new IllegalArgumentException(
          "zstd level must be between " + MIN_LEVEL + " and " + MAX_LEVEL + " (not 0), got " + level);
    }
  }

  /** Parses {@code none}, {@code zstd} or {@code zstd:LEVEL} (also {@code zstd-LEVEL}). */
  public static Compression parse(String text) {
    String value = requireNonNull(text, "text is null").trim().toLowerCase(Locale.ROOT);
    if (value.equals("none") || value.equals("off")) {
      return NONE;
    }
    if (value.equals("zstd")) {
      return DEFAULT;
    }
    if (value.startsWith("zstd:") || value.startsWith("zstd-")) {
      String level = value.substring(5);
      try {
        return new Compression(Codec.ZSTD, Integer.parseInt(level));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid zstd level '" + level + "' in '" + text + "'");
      }
    }
    throw new IllegalArgumentException(
        "unknown compression '" + text + "': use none, zstd or zstd:LEVEL (" + MIN_LEVEL + ".." + MAX_LEVEL + ")");
  }

  @Override
  public String toString() {
    return codec == Codec.NONE ? "none" : "zstd:" + level;
  }
}
