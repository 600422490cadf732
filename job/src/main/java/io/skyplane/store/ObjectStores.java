package io.skyplane.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;

/** Opens a store through the {@link StoreFactory} registered for its scheme. */
public final class ObjectStores {
  private ObjectStores() {}

  /**
   * Opens the store of {@code spec}.
   *
   * @throws StoreException {@link StoreException.Kind#FATAL} when no factory serves the scheme
   */
  public static ObjectStore open(StoreSpec spec) throws IOException {
    requireNonNull(spec, "spec is null");
    String scheme = spec.scheme().toLowerCase(Locale.ROOT);
    for (StoreFactory factory : factories()) {
      if (factory.serves(scheme)) {
        return factory.open(spec);
      }
    }
    throw new StoreException(
        StoreException.Kind.FATAL,
        "cannot open " + scheme + "://" + spec.bucket() + ": no object store for scheme '" + scheme
            + "' on the classpath (available: " + String.join(", ", schemes()) + ")");
  }

  /** Whether a factory on the classpath opens stores of {@code scheme}. */
  public static boolean serves(String scheme) {
    String lower = scheme.toLowerCase(Locale.ROOT);
    for (StoreFactory factory : factories()) {
      if (factory.serves(lower)) {
        return true;
      }
    }
    return false;
  }

  /** The main schemes of every factory on the classpath, sorted. */
  public static SortedSet<String> schemes() {
    SortedSet<String> schemes = new TreeSet<>();
    for (StoreFactory factory : factories()) {
      schemes.add(factory.scheme());
    }
    return schemes;
  }

  private static ServiceLoader<StoreFactory> factories() {
    // Under Flink the context class loader is the user-code class loader that holds the factories.
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return ServiceLoader.load(
        StoreFactory.class, loader != null ? loader : ObjectStores.class.getClassLoader());
  }
}
