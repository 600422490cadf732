package io.skyplane.store;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the S3, GCS and Azure stores retry and time out their requests, from the options of a {@link
 * StoreSpec} (in a store-config file: {@code s3.attempts = 10}, {@code gs.idle-timeout = 30s}, ...).
 * Each provider hands these to its SDK's own retry and HTTP settings; no store adds a retry loop of
 * its own, except that a ranged read whose stream breaks is re-opened where it stopped ({@link
 * ResumingInputStream}).
 *
 * <p>Durations are a whole number with a unit: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}.
 *
 * @param attempts how often a request is tried, the first try included ({@value #ATTEMPTS}, default
 *     {@value #DEFAULT_ATTEMPTS}; 1 turns retries off); also how often a broken read stream is
 *     re-opened in a row without progress
 * @param connectTimeout the longest wait for a connection ({@value #CONNECT_TIMEOUT}, default 10s)
 * @param requestTimeout the longest one try of a request may take to be answered, for requests that
 *     carry no object data (list, stat, create, complete, abort, delete) ({@value #REQUEST_TIMEOUT},
 *     default 60s); a request that uploads data gets this plus one second per MiB ({@link
 *     #uploadTimeout})
 * @param idleTimeout the longest wait for the next bytes while a response streams in (or, where the
 *     SDK can tell, while a request body streams out): a stalled read fails its try after this long
 *     ({@value #IDLE_TIMEOUT}, default 30s)
 */
public record RequestSettings(int attempts, Duration connectTimeout, Duration requestTimeout,
    Duration idleTimeout) {

  public static final String ATTEMPTS = "attempts";
  public static final String CONNECT_TIMEOUT = "connect-timeout";
  public static final String REQUEST_TIMEOUT = "request-timeout";
  public static final String IDLE_TIMEOUT = "idle-timeout";
  public static final int DEFAULT_ATTEMPTS = 10;
  public static final int MAX_ATTEMPTS = 100;
  public static final RequestSettings DEFAULTS = new RequestSettings(DEFAULT_ATTEMPTS,
      Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30));
  /** The slowest upload a request timeout allows for: one second more per MiB of data. */
  public static final long MIN_UPLOAD_BYTES_PER_SECOND = 1L << 20;

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

  public RequestSettings {
    requireNonNull(connectTimeout, "connectTimeout is null");
    requireNonNull(requestTimeout, "requestTimeout is null");
    requireNonNull(idleTimeout, "idleTimeout is null");
    if (attempts < 1 || attempts > MAX_ATTEMPTS) {
      throw new IllegalArgumentException("attempts must be 1.." + MAX_ATTEMPTS + ", got " + attempts);
    }
    for (Duration d : new Duration[] {connectTimeout, requestTimeout, idleTimeout}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeouts are positive, got " + d);
      }
    }
  }

  /**
   * The settings in {@code spec}'s options, defaults for the options it does not set.
   *
   * @throws StoreException {@link StoreException.Kind#FATAL} naming the option and the store when
   *     an option is not a valid number or duration
   */
  public static RequestSettings from(StoreSpec spec) throws StoreException {
    requireNonNull(spec, "spec is null");
    String store = spec.scheme() + "://" + spec.bucket();
    int attempts = DEFAULTS.attempts;
    String text = spec.option(ATTEMPTS, "").trim();
    if (!text.isEmpty()) {
      try {
        attempts = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        attempts = -1;
      }
      if (attempts < 1 || attempts > MAX_ATTEMPTS) {
        throw invalid(store, ATTEMPTS, text, "a whole number from 1 to " + MAX_ATTEMPTS);
      }
    }
    return new RequestSettings(attempts,
        duration(spec, store, CONNECT_TIMEOUT, DEFAULTS.connectTimeout),
        duration(spec, store, REQUEST_TIMEOUT, DEFAULTS.requestTimeout),
        duration(spec, store, IDLE_TIMEOUT, DEFAULTS.idleTimeout));
  }

  /** {@link #requestTimeout} plus one second per MiB of {@code bytes}: one try of an upload. */
  public Duration uploadTimeout(long bytes) {
    return requestTimeout.plusMillis(Math.max(0, bytes) * 1000 / MIN_UPLOAD_BYTES_PER_SECOND);
  }

  private static Duration duration(StoreSpec spec, String store, String option, Duration fallback)
      throws StoreException {
    String text = spec.option(option, "").trim();
    if (text.isEmpty()) {
      return fallback;
    }
    Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw invalid(store, option, text, "a positive duration like 500ms, 30s, 2m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private static StoreException invalid(String store, String option, String value, String expected) {
    return new StoreException(StoreException.Kind.FATAL, "cannot open " + store + ": option "
        + option + " must be " + expected + ", got '" + value + "'");
  }
}
