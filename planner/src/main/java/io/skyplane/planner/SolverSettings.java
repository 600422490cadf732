package io.skyplane.planner;

/**
 * How hard the MILP solver tries.
 *
 * @param timeLimitMillis per solve; a plan found by then is used even if not proven optimal (the
 *     plan's {@code solver} field says so)
 * @param relativeGap the solver stops once the plan's cost (or time) is provably within this
 *     fraction of the optimum
 */
public record SolverSettings(long timeLimitMillis, double relativeGap) {

  /** 30 s per solve, within 0.1 % of the optimum (0.01 % was up to 6x slower on the 71-region grid). */
  public static final SolverSettings DEFAULT = new SolverSettings(30_000, 1e-3);

  public SolverSettings {
    if (timeLimitMillis <= 0) {
      throw new IllegalArgumentException("time limit must be > 0 ms, got " + timeLimitMillis);
    }
    if (!(relativeGap >= 0 && relativeGap < 1)) {
      throw new IllegalArgumentException("relative gap must be in [0, 1), got " + relativeGap);
    }
  }
}
