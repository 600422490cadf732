package io.skyplane.testing.faults;

import io.skyplane.testing.faults.Decision.Phase;
import io.skyplane.testing.faults.FaultSpec.Filter;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Decides, request by request, what a {@link FaultSpec} does: the same spec (seed) and the same
 * sequence of requests give the same sequence of decisions. A request outside the filters, or one
 * of the first {@code skip} matching ones, passes and draws nothing from the generator; every
 * other request draws exactly three numbers (which fault, where in the body, which variant).
 */
final class FaultDecider {
  private final FaultSpec spec;
  private final StoreFlavour flavour;
  private final Random random;
  private final Pattern path;
  private long matched;

  FaultDecider(FaultSpec spec, StoreFlavour flavour) {
    this.spec = Objects.requireNonNull(spec, "spec is null");
    this.flavour = Objects.requireNonNull(flavour, "flavour is null");
    this.random = new Random(spec.seed());
    this.path = spec.filter().path() == null ? null : Pattern.compile(spec.filter().path());
  }

  FaultSpec spec() {
    return spec;
  }

  /**
   * The decision for the next request.
   *
   * @param method the request method
   * @param target the request target as sent (path and query)
   * @param hasBody whether the request carries a body
   */
  synchronized Decision decide(String method, String target, boolean hasBody) {
    Filter f = spec.filter();
    if (!f.methods().isEmpty() && !f.methods().contains(method)) {
      return Decision.PASS;
    }
    if (path != null && !path.matcher(target).find()) {
      return Decision.PASS;
    }
    if (matched++ < f.skip()) {
      return Decision.PASS;
    }
    if (spec.down() != 0) {
      return Decision.answer(FaultKind.DOWN, spec.down(), continueFirst());
    }
    if (spec.injectsNothing()) {
      return Decision.PASS;
    }
    double which = random.nextDouble();
    double position = random.nextDouble();
    double variant = random.nextDouble();
    double bound = spec.throttle();
    if (which < bound) {
      return Decision.answer(FaultKind.THROTTLE, flavour.throttleStatus(), continueFirst());
    }
    bound += spec.error().probability();
    if (which < bound) {
      var statuses = spec.error().statuses();
      return Decision.answer(FaultKind.ERROR,
          statuses.get(Math.min(statuses.size() - 1, (int) (variant * statuses.size()))),
          continueFirst());
    }
    bound += spec.reset().probability();
    if (which < bound) {
      return switch (spec.reset().at()) {
        case ANY -> Decision.reset(hasBody && variant < 0.5 ? Phase.REQUEST_BODY
            : Phase.RESPONSE_BODY, position);
        case REQUEST -> hasBody ? Decision.reset(Phase.REQUEST_BODY, position) : Decision.PASS;
        case RESPONSE -> Decision.reset(Phase.RESPONSE_BODY, position);
        case HEADERS -> Decision.reset(Phase.RESPONSE_HEADERS, 0);
      };
    }
    bound += spec.stall().probability();
    if (which < bound) {
      return Decision.stall(position, spec.stall().duration());
    }
    bound += spec.drip().probability();
    if (which < bound) {
      return Decision.drip(spec.drip().bytesPerSecond());
    }
    return Decision.PASS;
  }

  private boolean continueFirst() {
    return spec.expect() == FaultSpec.ExpectAnswer.CONTINUE;
  }
}
