package io.skyplane.planner.cli;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A {@link PrintStream} over a picocli {@link PrintWriter}, so that commands printing to streams
 * write where the command line's {@code getOut()}/{@code getErr()} point (tests capture them).
 */
final class WriterStreams {
  private WriterStreams() {}

  /** A UTF-8 stream whose text reaches {@code writer} at every flush (and println). */
  static PrintStream of(PrintWriter writer) {
    return new PrintStream(new Adapter(requireNonNull(writer, "writer is null")), true, StandardCharsets.UTF_8);
  }

  private static final class Adapter extends OutputStream {
    private final PrintWriter writer;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    Adapter(PrintWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(int b) {
      pending.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      pending.write(b, off, len);
    }

    @Override
    public void flush() {
      // PrintStream encodes whole strings before it flushes: no character is split here
      writer.write(pending.toString(StandardCharsets.UTF_8));
      pending.reset();
      writer.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }
}
