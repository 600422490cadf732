package io.skyplane.testing.faults;

import java.time.Duration;
import java.util.Objects;

/**
 * What the proxy does to one request.
 *
 * @param kind the fault, {@link FaultKind#NONE} to forward untouched
 * @param status the status of an answered fault (THROTTLE, ERROR, DOWN), else 0
 * @param phase where a RESET happens
 * @param position where in the body (0 = start, below 1) a RESET or STALL happens
 * @param stall how long a STALL lasts
 * @param bytesPerSecond the rate of a DRIP
 * @param continueFirst whether an answered fault sends 100 Continue and reads the body first when
 *     the client expects it
 */
record Decision(FaultKind kind, int status, Phase phase, double position, Duration stall,
    long bytesPerSecond, boolean continueFirst) {

  /** Where a reset happens. */
  enum Phase {
    NONE,
    /** While reading the request body; nothing reaches the store. */
    REQUEST_BODY,
    /** Right after the response headers. */
    RESPONSE_HEADERS,
    /** After {@code position} of the response body. */
    RESPONSE_BODY
  }

  static final Decision PASS = new Decision(FaultKind.NONE, 0, Phase.NONE, 0, Duration.ZERO, 0,
      false);

  Decision {
    Objects.requireNonNull(kind, "kind is null");
    Objects.requireNonNull(phase, "phase is null");
    Objects.requireNonNull(stall, "stall is null");
  }

  static Decision answer(FaultKind kind, int status, boolean continueFirst) {
    return new Decision(kind, status, Phase.NONE, 0, Duration.ZERO, 0, continueFirst);
  }

  static Decision reset(Phase phase, double position) {
    return new Decision(FaultKind.RESET, 0, phase, position, Duration.ZERO, 0, false);
  }

  static Decision stall(double position, Duration duration) {
    return new Decision(FaultKind.STALL, 0, Phase.NONE, position, duration, 0, false);
  }

  static Decision drip(long bytesPerSecond) {
    return new Decision(FaultKind.DRIP, 0, Phase.NONE, 0, Duration.ZERO, bytesPerSecond,
        false);
  }

  /** A short description for the log, e.g. {@code reset(response_body@0.42)}. */
  String describe() {
    return switch (kind) {
      case NONE -> "pass";
      case THROTTLE, ERROR, DOWN -> kind.key() + "(" + status + ")";
      case RESET -> "reset(" + phase.name().toLowerCase(java.util.Locale.ROOT)
          + (phase == Phase.RESPONSE_BODY || phase == Phase.REQUEST_BODY
              ? "@" + String.format(java.util.Locale.ROOT, "%.3f", position) : "") + ")";
      case STALL -> "stall(" + stall.toMillis() + "ms@"
          + String.format(java.util.Locale.ROOT, "%.3f", position) + ")";
      case DRIP -> "drip(" + bytesPerSecond + "B/s)";
    };
  }
}
