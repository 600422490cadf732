package io.skyplane.planner.io;

/** A malformed input file; the message starts with {@code file:line:}. */
public final class InputFileException extends IllegalArgumentException {

  private final String source;
  private final int line;

  public InputFileException(String source, int line, String message) {
    super(source + (line > 0 ? ":" + line : "") + ": " + message);
    this.source = source;
    this.line = line;
  }

  public String source() {
    return source;
  }

  public int line() {
    return line;
  }
}
