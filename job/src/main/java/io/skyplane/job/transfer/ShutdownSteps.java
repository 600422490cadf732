package io.skyplane.job.transfer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the client does when it is stopped (Ctrl-C, SIGTERM) in the middle of something: one JVM
 * shutdown hook that runs the registered steps one after the other, the latest registered first,
 * as nested try/finally blocks would (e.g. cancel the running job and clean up its uploads, then
 * destroy the cluster it ran on). A step that throws does not stop the ones after it.
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

    private Step(String name, Runnable action) {
      this.name = name;
      this.action = action;
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

  /** Registers {@code action} to run at shutdown, before every step registered earlier. */
  public static synchronized Step add(String name, Runnable action) {
    if (hook == null) {
      hook = new Thread(ShutdownSteps::runAll, "skyplane-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
    }
    Step step = new Step(name, action);
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
      try {
        step.action.run();
      } catch (RuntimeException | Error e) {
        System.err.println("skyplane: shutdown step '" + step + "' failed: " + e);
      }
    }
  }
}
