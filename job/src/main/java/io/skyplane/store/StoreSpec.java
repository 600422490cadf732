package io.skyplane.store;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to open a store: serializable, shipped to every worker, and free of secrets. Credentials are
 * resolved on the worker from the provider's standard chain (environment, profile, instance
 * metadata) or from a credentials file named in {@code options}; they never travel in a spec.
 *
 * @param scheme file, s3, gs, azure, or a Hadoop scheme (s3a, abfs, hdfs, ...)
 * @param bucket bucket, container ("account/container" for Azure), or "" for local files
 * @param options provider options without secrets, e.g. {@code endpoint}, {@code region},
 *     {@code path-style}, {@code profile}
 */
public record StoreSpec(String scheme, String bucket, Map<String, String> options) implements Serializable {
  public StoreSpec {
    requireNonNull(scheme, "scheme is null");
    requireNonNull(bucket, "bucket is null");
    options = new TreeMap<>(requireNonNull(options, "options is null"));
  }

  public String option(String name, String defaultValue) {
    return options.getOrDefault(name, defaultValue);
  }

  @Override
  public Map<String, String> options() {
    return java.util.Collections.unmodifiableMap(options);
  }
}
