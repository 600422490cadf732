package io.skyplane.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;

/** Opens a store through the {@link StoreFactory} registered for its scheme. */
public final class ObjectStores {
  private ObjectStores() {}

  /**
   * Idle connections the JDK keeps per server, for the stores whose SDK rides on HttpURLConnection
   * (S3's url-connection client, GCS's NetHttpTransport): the JDK's default, 5, is fewer than the
   * uploads a transfer keeps in flight, so every request beyond it opened a connection and closed
   * it again after its answer (a TCP handshake per small object). The JDK reads it once, when it
   * first keeps a connection: set here, before any store exists, unless the user set it
   * ({@code -Dhttp.maxConnections}).
   */
  static final int KEEP_ALIVE_CONNECTIONS = 64;

  static {
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", Integer.toString(KEEP_ALIVE_CONNECTIONS));
    }
  }

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

  /**
   * The factories visible from the thread's context class loader (under Flink: the user-code class
   * loader of a task) and from this class's own loader (threads of Flink's source coordinator
   * workers need not carry the user-code loader), each class once.
   */
  private static List<StoreFactory> factories() {
    Map<String, StoreFactory> found = new LinkedHashMap<>();
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    for (ClassLoader loader : new ClassLoader[] {context, ObjectStores.class.getClassLoader()}) {
      if (loader == null) {
        continue;
      }
      Iterator<StoreFactory> factories = ServiceLoader.load(StoreFactory.class, loader).iterator();
      while (true) {
        try {
          if (!factories.hasNext()) {
            break;
          }
          StoreFactory factory = factories.next();
          found.putIfAbsent(factory.getClass().getName(), factory);
        } catch (ServiceConfigurationError e) {
          // A factory this loader cannot use, e.g. one of a parent class loader whose copy of the
          // contract is another class (a Flink cluster with other jars on its own classpath): skip.
        }
      }
    }
    return List.copyOf(found.values());
  }
}
