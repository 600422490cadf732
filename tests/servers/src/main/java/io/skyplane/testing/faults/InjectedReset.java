package io.skyplane.testing.faults;

import java.io.IOException;

/** Thrown where the proxy must now reset the client connection (an injected fault, not a failure). */
final class InjectedReset extends IOException {
  private static final long serialVersionUID = 1L;

  InjectedReset(String where) {
    super("injected reset " + where);
  }
}
