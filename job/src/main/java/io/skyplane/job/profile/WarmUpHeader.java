package io.skyplane.job.profile;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The first records a sender sends, one to each receiver: the warm-up it uses, so that receivers
 * stretch theirs to match on long links ({@link #warmUp}). A header is 16 bytes (a marker and the
 * warm-up in nanoseconds); data records are at least 1 KiB, so the two cannot be mistaken.
 */
final class WarmUpHeader {
  static final int LENGTH = 16;
  /** Round trips a warm-up lasts at least: slow start and the congestion control's first probing cycles. */
  static final int ROUND_TRIPS = 25;
  private static final long MARKER = 0x736b79706c616e65L; // "skyplane"

  private WarmUpHeader() {}

  /** The configured warm-up, or {@link #ROUND_TRIPS} round trips of {@code rttNanos} when that is longer. */
  static Duration warmUp(Duration configured, long rttNanos) {
    return rttNanos <= 0 ? configured : Duration.ofNanos(Math.max(configured.toNanos(), ROUND_TRIPS * rttNanos));
  }

  static byte[] encode(Duration warmUp) {
    return ByteBuffer.allocate(LENGTH).putLong(MARKER).putLong(warmUp.toNanos()).array();
  }

  /** The warm-up a header carries, or -1 when {@code record} is no header. */
  static long decode(byte[] record) {
    if (record.length != LENGTH) {
      return -1;
    }
    ByteBuffer buffer = ByteBuffer.wrap(record);
    return buffer.getLong() == MARKER ? buffer.getLong() : -1;
  }
}
