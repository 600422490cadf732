package io.skyplane.testing.faults;

import java.io.IOException;

/** Reading a body from its source failed (as opposed to writing it to its sink). */
final class SourceFailure extends IOException {
  private static final long serialVersionUID = 1L;

  SourceFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
