package io.skyplane.job.transfer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.annotation.Nullable;

/**
 * What the client does when it is stopped (Ctrl-C, SIGTERM) in the middle of something: one JVM
 * shutdown hook that runs the registered steps one after the other, the latest registered first,
 * as nested try/finally blocks would (e.g. cancel the running job and clean up its uploads, then
 * destroy the cluster it ran on). A step that throws does not stop the ones after it. A step may
 * have a time budget: it runs on a thread of its own and is abandoned when the budget is spent (a
 * store call that hangs cannot keep the process alive); the hook says so on stderr.
 */
public final class ShutdownSteps {
  private static final List<Step> STEPS = new ArrayList<>();
  private static Thread hook;
  private static boolean running;

  private ShutdownSteps() {}

  /** A registered step; {@link #close} unregisters it (no effect once the hook has started). */
  public static final class Step implements AutoCloseable {
    private final String name;
    private final Runnable action;
    @Nullable private final Duration budget;

    private Step(String name, Runnable action, @Nullable Duration budget) {
      this.name = name;
      this.action = action;
      this.budget = budget;
    }

    @Override
    public void close() {
      synchronized (ShutdownSteps.class) {
        if (!running) {
          STEPS.remove(this);
        }
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Registers {@code action} to run at shutdown, before every step registered earlier, as long as it takes. */
  public static Step add(String name, Runnable action) {
    return add(name, action, null);
  }

  /**
   * Registers {@code action} to run at shutdown, before every step registered earlier, for at most
   * {@code budget} (null: as long as it takes).
   */
  public static synchronized Step add(String name, Runnable action, @Nullable Duration budget) {
    if (hook == null) {
      hook = new Thread(ShutdownSteps::runAll, "skyplane-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
    }
    Step step = new Step(name, action, budget);
    STEPS.add(step);
    return step;
  }

  private static void runAll() {
    List<Step> steps;
    synchronized (ShutdownSteps.class) {
      running = true;
      steps = new ArrayList<>(STEPS);
    }
    Collections.reverse(steps);
    for (Step step : steps) {
      if (step.budget == null) {
        run(step);
        continue;
      }
      Thread thread = new Thread(() -> run(step), "skyplane-shutdown-step");
      thread.setDaemon(true);
      thread.start();
      try {
        thread.join(step.budget.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        System.err.println("skyplane: gave up on '" + step + "' after " + step.budget.toSeconds() + " s");
        thread.interrupt();
      }
    }
  }

  private static void run(Step step) {
    try {
      step.action.run();
    } catch (RuntimeException | Error e) {
      System.err.println("skyplane: shutdown step '" + step + "' failed: " + e);
    }
  }
}
