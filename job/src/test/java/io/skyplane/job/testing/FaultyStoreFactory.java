package io.skyplane.job.testing;

import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreFactory;
import io.skyplane.store.StoreSpec;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Test-only schemes {@code faulty-s3}, {@code faulty-gs} and {@code faulty-azure}: the real S3, GCS
 * or Azure store (the same spec with scheme {@code s3}, {@code gs} or {@code azure}) whose writes
 * fail as the spec's options say. The job parses {@code faulty-azure://ACCOUNT/prefix} generically
 * (the authority is the account only), so the container comes from option {@code container}. Registered in
 * the test classpath's {@code META-INF/services/io.skyplane.store.StoreFactory}, so the job opens it
 * like any store, on every task, from the store config file ({@code faulty-s3.OPTION=value}).
 * Options:
 *
 * <ul>
 *   <li>{@code fail-key}: faults apply only to keys ending with this text (default: every key)
 *   <li>{@code fail-upload=N}: the N-th part upload of a matching key (counted over the whole JVM)
 *       fails before it reaches the store, and so does every later upload of that same part
 *       number, so that retrying the part cannot hide the fault
 *   <li>{@code fail-complete=before}: completing a matching upload fails before it reaches the store
 *   <li>{@code fail-complete=after}: completing runs on the store, then the answer is "lost" (throws)
 *   <li>{@code fail-complete-times=K}: how many completes fail (default: every one)
 *   <li>{@code fail-put=true}: whole-object puts of matching keys fail before reaching the store
 *   <li>{@code fail-kind}: the {@link StoreException.Kind} thrown (default RETRYABLE), or
 *       {@code crash}: an {@link AssertionError} that fails the task (and so the job)
 * </ul>
 *
 * <p>Every other option goes to the real store. Counters are static ({@link FaultLog}): tasks open
 * their own store instances, and the MiniCluster runs them in the test's JVM. Reset them with
 * {@link FaultLog#reset()} before each test.
 */
public final class FaultyStoreFactory implements StoreFactory {
  public static final String PREFIX = "faulty-";
  private static final Set<String> REAL = Set.of("s3", "gs", "azure");
  /** For {@code faulty-azure}: the container (the URI's authority is only the account). */
  public static final String CONTAINER = "container";
  static final String FAIL = "fail-";

  /** The faulty scheme of a real one, e.g. {@code faulty-s3}. */
  public static String scheme(StoreKind kind) {
    return PREFIX + kind.label();
  }

  @Override
  public String scheme() {
    return PREFIX + "s3";
  }

  @Override
  public boolean serves(String scheme) {
    return scheme.startsWith(PREFIX) && REAL.contains(scheme.substring(PREFIX.length()));
  }

  @Override
  public ObjectStore open(StoreSpec spec) throws IOException {
    Map<String, String> real = new TreeMap<>();
    Map<String, String> faults = new TreeMap<>();
    spec.options().forEach((name, value) -> (name.startsWith(FAIL) ? faults : real).put(name, value));
    FaultPlan plan = FaultPlan.parse(faults);
    String scheme = spec.scheme().substring(PREFIX.length());
    String bucket = spec.bucket();
    if (scheme.equals("azure")) {
      String container = real.remove(CONTAINER);
      if (container == null) {
        throw new StoreException(StoreException.Kind.FATAL,
            "faulty-azure://" + bucket + " needs option '" + CONTAINER + "'");
      }
      bucket = bucket + "/" + container;
    }
    return new FaultyStore(ObjectStores.open(new StoreSpec(scheme, bucket, real)), plan);
  }
}
