package io.skyplane.store;

import java.io.IOException;

/**
 * Opens the stores of one URI scheme. Implementations are public, have a public no-argument
 * constructor, and are listed in {@code META-INF/services/io.skyplane.store.StoreFactory}; {@link
 * ObjectStores#open} finds them with {@link java.util.ServiceLoader}.
 */
public interface StoreFactory {

  /** The lower-case URI scheme this factory serves, e.g. {@code s3} or {@code file}. */
  String scheme();

  /**
   * Whether this factory opens stores of {@code scheme} (lower case). By default only {@link
   * #scheme()}; a factory for a family of schemes (the Hadoop FileSystem adapter) serves more. Must
   * not load optional dependencies: it is asked while a command line is being parsed.
   */
  default boolean serves(String scheme) {
    return scheme().equals(scheme);
  }

  /**
   * Opens the store a spec names. Credentials come from the provider's standard chain on this
   * machine, never from the spec. The caller closes the store.
   *
   * @throws StoreException {@link StoreException.Kind#FATAL} when an option is invalid
   */
  ObjectStore open(StoreSpec spec) throws IOException;
}
