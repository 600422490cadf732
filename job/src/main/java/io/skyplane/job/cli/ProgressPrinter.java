package io.skyplane.job.cli;

import io.skyplane.job.transfer.TransferProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints a progress line (bytes, objects, throughput, ETA) while a transfer runs: redrawn every
 * second on a terminal, one line every ten seconds otherwise (logs, CI).
 */
final class ProgressPrinter implements AutoCloseable {
  private final PrintWriter out;
  private final boolean terminal;
  private final Thread thread;
  private volatile TransferProgress progress;
  private volatile boolean running = true;

  ProgressPrinter(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
    this.thread = new Thread(this::loop, "skyplane-progress");
    this.thread.setDaemon(true);
  }

  void start(TransferProgress progress) {
    this.progress = progress;
    thread.start();
  }

  private void loop() {
    long interval = terminal ? 1000 : 10_000;
    while (running) {
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
      if (running) {
        out.print((terminal ? "\r" : "") + line(progress.snapshot(System.currentTimeMillis()))
            + (terminal ? "\033[K" : System.lineSeparator()));
        out.flush();
      }
    }
  }

  static String line(TransferProgress.Snapshot s) {
    double rate = s.bytesPerSecond();
    String eta = rate <= 0 ? "--:--" : duration((s.expectedBytes() - s.bytes()) / rate);
    return String.format(Locale.ROOT, "%s / %s, %d/%d objects, %s/s, ETA %s",
        ByteSize.format(s.bytes()), ByteSize.format(s.expectedBytes()),
        s.committedObjects() + s.failedObjects(), s.expectedObjects(), ByteSize.format(rate), eta);
  }

  static String duration(double seconds) {
    long total = Math.max(0, Math.round(seconds));
    return total >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
        : String.format(Locale.ROOT, "%d:%02d", total / 60, total % 60);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    if (thread.isAlive()) {
      thread.join(2000);
    }
    if (terminal && progress != null) {
      out.print("\r\033[K");
      out.flush();
    }
  }
}
