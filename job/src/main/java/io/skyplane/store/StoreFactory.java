package io.skyplane.store;

import java.io.IOException;

/**
 * Opens the stores of one URI scheme. Implementations are discovered with {@link
 * java.util.ServiceLoader} from {@code META-INF/services/io.skyplane.store.StoreFactory}.
 */
public interface StoreFactory {

  /** The URI scheme this factory opens, e.g. {@code s3}. */
  String scheme();

  /** Opens the store a spec names; credentials are resolved here, on the worker. */
  ObjectStore open(StoreSpec spec) throws IOException;
}
