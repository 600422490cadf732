package io.skyplane.job.testing;

import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStores;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreFactory;
import io.skyplane.store.StoreSpec;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test-only scheme {@code faulty-s3}: the real S3 store (the same spec with scheme {@code s3}) whose
 * writes fail as the spec's options say. Registered in the test classpath's
 * {@code META-INF/services/io.skyplane.store.StoreFactory}, so the job opens it like any store,
 * on every task, from the store config file ({@code faulty-s3.OPTION=value}). Options:
 *
 * <ul>
 *   <li>{@code fail-key}: faults apply only to keys ending with this text (default: every key)
 *   <li>{@code fail-upload=N}: the N-th part upload of a matching key (counted over the whole JVM)
 *       fails before it reaches S3, and so does every later upload of that same key and part, so
 *       that retrying the part cannot hide the fault
 *   <li>{@code fail-complete=before}: completing a matching upload fails before it reaches S3
 *   <li>{@code fail-complete=after}: completing runs on S3, then the answer is "lost" (throws)
 *   <li>{@code fail-complete-times=K}: how many completes fail (default: every one)
 *   <li>{@code fail-put=true}: whole-object puts of matching keys fail before reaching S3
 *   <li>{@code fail-kind}: the {@link StoreException.Kind} thrown (default RETRYABLE), or
 *       {@code crash}: an {@link AssertionError} that fails the task (and so the job)
 * </ul>
 *
 * <p>Every other option goes to the S3 store. Counters are static ({@link FaultLog}): tasks open
 * their own store instances, and the MiniCluster runs them in the test's JVM. Reset them with
 * {@link FaultLog#reset()} before each test.
 */
public final class FaultyS3StoreFactory implements StoreFactory {
  public static final String SCHEME = "faulty-s3";
  static final String FAIL = "fail-";

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public ObjectStore open(StoreSpec spec) throws IOException {
    Map<String, String> real = new TreeMap<>();
    Map<String, String> faults = new TreeMap<>();
    spec.options().forEach((name, value) -> (name.startsWith(FAIL) ? faults : real).put(name, value));
    FaultPlan plan = FaultPlan.parse(faults);
    ObjectStore s3 = ObjectStores.open(new StoreSpec("s3", spec.bucket(), real));
    return new FaultyStore(s3, plan);
  }
}
