package io.skyplane.testing.faults;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What the fault proxy does to the requests it sees, parsed from a spec string such as
 * {@code throttle=0.1,error=0.05,reset=0.02,stall=0.005:60s,drip=0.01:256KiB/s,seed=42,methods=GET+PUT,skip=20}.
 *
 * <pre>
 * spec     = "none" | "" | item ("," item)*
 * item     = "throttle=" P                  store's throttling answer (S3 503 SlowDown, GCS 429
 *                                           rateLimitExceeded, Azure 503 ServerBusy)
 *          | "error=" P [":" S ("+" S)*]    store's internal error; status picked among S (default 500)
 *          | "reset=" P [":" AT]             TCP reset; AT = any (default) | request | response | headers
 *          | "stall=" P ":" DURATION         pause part-way through the response
 *          | "drip=" P ":" RATE              response body at RATE
 *          | ("down=" | "always=") S         every (matching) request answered S, nothing forwarded
 *          | "expect=" ("refuse" | "continue") how an answered fault meets {@code Expect: 100-continue}:
 *                                           refuse = answer instead of 100, the body is never sent
 *                                           (default); continue = 100, read the body, then answer
 *          | "seed=" LONG                    seed of the decisions (default 1)
 *          | "methods=" M ("+" M)*           only these methods (default all)
 *          | "skip=" N                       the first N matching requests pass untouched
 *          | "path=" REGEX                   only requests whose target (path?query) contains a match;
 *                                           the regex runs up to the next ",KEY=" of a key above
 *                                           (or the end), so it may hold commas: path=a{1,3}
 * P        = 0..1 ("0.05") or a percentage ("5%"); the P of all faults add up to at most 1
 * S        = 429 | 500 | 502 | 503 | 504
 * DURATION = number with unit ms | s | m ("500ms", "1.5s", "2m"; no unit = seconds)
 * RATE     = number with unit B | KB | KiB | MB | MiB | GB | GiB, optional "/s" ("256KiB/s")
 * </pre>
 *
 * <p>Components with probability 0 are normalised to their defaults, so {@code parse(toString())}
 * equals the spec. Invalid values fail with an {@link IllegalArgumentException} that quotes the spec.
 *
 * @param throttle probability of a throttling answer
 * @param error probability and statuses of an internal-error answer
 * @param reset probability and place of a TCP reset
 * @param stall probability and length of a pause in the response
 * @param drip probability and rate of a slow response body
 * @param down status of only-errors mode, or 0 when off (then no other fault may be set)
 * @param expect how throttle, error and down answers meet a request with
 *     {@code Expect: 100-continue}
 * @param seed seed of the decision sequence
 * @param filter which requests the faults apply to
 */
public record FaultSpec(double throttle, Failure error, Reset reset, Stall stall, Drip drip,
    int down, ExpectAnswer expect, long seed, Filter filter) {

  /** The seed when the spec names none. */
  public static final long DEFAULT_SEED = 1;
  /** The statuses {@code error=} and {@code down=} accept. */
  public static final Set<Integer> STATUSES = Set.of(429, 500, 502, 503, 504);

  private static final FaultSpec NONE = new FaultSpec(0, Failure.OFF, Reset.OFF, Stall.OFF,
      Drip.OFF, 0, ExpectAnswer.REFUSE, DEFAULT_SEED, Filter.ALL);

  /** How an answered fault meets a request that sent {@code Expect: 100-continue}. */
  public enum ExpectAnswer {
    /**
     * The error instead of 100 Continue, with {@code Connection: close}; the body is never sent.
     * Clients on {@code HttpURLConnection} (the AWS SDK's UrlConnection client) then see the
     * status but not the error body.
     */
    REFUSE,
    /** 100 Continue, then the body is read and dropped, then the error (the client sees it all). */
    CONTINUE
  }

  /** Where a reset happens. */
  public enum ResetPoint {
    /** While reading a request body (requests with a body, one in two) or in the response. */
    ANY,
    /** While reading the request body; requests without a body are not reset. */
    REQUEST,
    /** After a random part of the response body (possibly none of it). */
    RESPONSE,
    /** Right after the response headers. */
    HEADERS
  }

  /** An injected error answer: probability, and the statuses picked from (uniformly). */
  public record Failure(double probability, List<Integer> statuses) {
    static final Failure OFF = new Failure(0, List.of(500));

    public Failure {
      checkProbability(probability, "error");
      statuses = List.copyOf(Objects.requireNonNull(statuses, "statuses is null"));
      if (statuses.isEmpty()) {
        throw new IllegalArgumentException("error statuses are empty");
      }
      statuses.forEach(FaultSpec::checkStatus);
      if (probability == 0) {
        statuses = List.of(500);
      }
    }
  }

  /** A TCP reset: probability and where. */
  public record Reset(double probability, ResetPoint at) {
    static final Reset OFF = new Reset(0, ResetPoint.ANY);

    public Reset {
      checkProbability(probability, "reset");
      Objects.requireNonNull(at, "at is null");
      if (probability == 0) {
        at = ResetPoint.ANY;
      }
    }
  }

  /** A pause in the response: probability and length. */
  public record Stall(double probability, Duration duration) {
    static final Stall OFF = new Stall(0, Duration.ZERO);

    public Stall {
      checkProbability(probability, "stall");
      Objects.requireNonNull(duration, "duration is null");
      if (duration.isNegative()) {
        throw new IllegalArgumentException("stall duration is negative: " + duration);
      }
      if (probability == 0) {
        duration = Duration.ZERO;
      }
    }
  }

  /** A slow response body: probability and rate in bytes per second. */
  public record Drip(double probability, long bytesPerSecond) {
    static final Drip OFF = new Drip(0, 1);

    public Drip {
      checkProbability(probability, "drip");
      if (bytesPerSecond <= 0) {
        throw new IllegalArgumentException("drip rate must be positive: " + bytesPerSecond);
      }
      if (probability == 0) {
        bytesPerSecond = 1;
      }
    }
  }

  /**
   * Which requests faults apply to.
   *
   * @param methods upper-case methods, empty for all
   * @param path a regex found in the request target (path and query), or null for all
   * @param skip how many matching requests pass untouched first
   */
  public record Filter(Set<String> methods, String path, int skip) {
    static final Filter ALL = new Filter(Set.of(), null, 0);

    public Filter {
      Set<String> upper = new LinkedHashSet<>();
      Objects.requireNonNull(methods, "methods is null").forEach(m -> upper.add(
          m.toUpperCase(Locale.ROOT)));
      methods = Set.copyOf(upper);
      if (path != null) {
        try {
          Pattern.compile(path);
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException("bad path regex '" + path + "': " + e.getMessage(),
              e);
        }
      }
      if (skip < 0) {
        throw new IllegalArgumentException("skip is negative: " + skip);
      }
    }
  }

  public FaultSpec {
    checkProbability(throttle, "throttle");
    Objects.requireNonNull(error, "error is null");
    Objects.requireNonNull(reset, "reset is null");
    Objects.requireNonNull(stall, "stall is null");
    Objects.requireNonNull(drip, "drip is null");
    Objects.requireNonNull(expect, "expect is null");
    Objects.requireNonNull(filter, "filter is null");
    double sum = throttle + error.probability() + reset.probability() + stall.probability()
        + drip.probability();
    if (sum > 1 + 1e-9) {
      throw new IllegalArgumentException("fault probabilities add up to " + sum + " > 1");
    }
    if (down != 0) {
      checkStatus(down);
      if (sum > 0) {
        throw new IllegalArgumentException("down/always cannot be combined with other faults");
      }
    }
  }

  /** No faults: a transparent proxy. */
  public static FaultSpec none() {
    return NONE;
  }

  /** True when no request can be touched. */
  public boolean injectsNothing() {
    return down == 0 && throttle + error.probability() + reset.probability()
        + stall.probability() + drip.probability() == 0;
  }

  /** This spec with another seed. */
  public FaultSpec withSeed(long newSeed) {
    return new FaultSpec(throttle, error, reset, stall, drip, down, expect, newSeed, filter);
  }

  /** Parses the grammar in the class comment; fails with a message quoting {@code spec}. */
  public static FaultSpec parse(String spec) {
    return SpecParser.parse(Objects.requireNonNull(spec, "spec is null"));
  }

  /** The canonical spec string ({@code none} for no faults); {@link #parse} gives this back. */
  @Override
  public String toString() {
    List<String> items = new ArrayList<>();
    if (throttle > 0) {
      items.add("throttle=" + number(throttle));
    }
    if (error.probability() > 0) {
      StringBuilder s = new StringBuilder("error=" + number(error.probability()) + ":");
      error.statuses().forEach(st -> s.append(st).append('+'));
      items.add(s.substring(0, s.length() - 1));
    }
    if (reset.probability() > 0) {
      items.add("reset=" + number(reset.probability()) + ":"
          + reset.at().name().toLowerCase(Locale.ROOT));
    }
    if (stall.probability() > 0) {
      items.add("stall=" + number(stall.probability()) + ":" + SpecParser.duration(
          stall.duration()));
    }
    if (drip.probability() > 0) {
      items.add("drip=" + number(drip.probability()) + ":" + SpecParser.rate(
          drip.bytesPerSecond()));
    }
    if (down != 0) {
      items.add("down=" + down);
    }
    if (expect != ExpectAnswer.REFUSE) {
      items.add("expect=" + expect.name().toLowerCase(Locale.ROOT));
    }
    if (items.isEmpty() && seed == DEFAULT_SEED && filter.equals(Filter.ALL)) {
      return "none";
    }
    if (seed != DEFAULT_SEED) {
      items.add("seed=" + seed);
    }
    if (!filter.methods().isEmpty()) {
      items.add("methods=" + String.join("+", filter.methods().stream().sorted().toList()));
    }
    if (filter.skip() > 0) {
      items.add("skip=" + filter.skip());
    }
    if (filter.path() != null) {
      items.add("path=" + filter.path());
    }
    return items.isEmpty() ? "none" : String.join(",", items);
  }

  static String number(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  private static void checkProbability(double p, String what) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(what + " probability not in [0, 1]: " + p);
    }
  }

  private static void checkStatus(int status) {
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("status " + status + " not one of " + STATUSES);
    }
  }
}
