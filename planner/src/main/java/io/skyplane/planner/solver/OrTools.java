package io.skyplane.planner.solver;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPSolver;

/** Loads OR-Tools' native library once per JVM and creates MILP solvers (SCIP, else CBC). */
final class OrTools {

  private static final String[] BACKENDS = {"SCIP", "CBC"};
  private static boolean loaded;

  private OrTools() {}

  static synchronized void ensureLoaded() {
    if (!loaded) {
      Loader.loadNativeLibraries();
      loaded = true;
    }
  }

  /** A new MILP solver; an error when neither SCIP nor CBC is in this OR-Tools build. */
  static MPSolver newMilpSolver() {
    ensureLoaded();
    for (String backend : BACKENDS) {
      MPSolver solver = MPSolver.createSolver(backend);
      if (solver != null) {
        return solver;
      }
    }
    throw new IllegalStateException("OR-Tools has neither SCIP nor CBC: no MILP solver available");
  }
}
