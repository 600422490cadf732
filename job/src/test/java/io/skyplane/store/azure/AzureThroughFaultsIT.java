package io.skyplane.store.azure;

import com.azure.storage.blob.BlobServiceClientBuilder;
import io.skyplane.store.ObjectStore;
import io.skyplane.store.StoreFaultScenarios;
import io.skyplane.testing.faults.FaultSpec;
import io.skyplane.testing.servers.AzureEndpoint;
import io.skyplane.testing.servers.AzuriteExtension;
import io.skyplane.testing.servers.FaultProxyExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fault scenarios on Azurite behind the fault proxy. */
class AzureThroughFaultsIT extends StoreFaultScenarios {
  @RegisterExtension static final AzuriteExtension AZURE = AzuriteExtension.shared();
  @RegisterExtension static final FaultProxyExtension<AzureEndpoint> FAULTS =
      new FaultProxyExtension<>(AZURE, FaultSpec.none());
  private static final String VARIABLE = "TEST_FAULTY_AZURE_CONNECTION";
  private static final AtomicInteger CONTAINERS = new AtomicInteger();

  @Override
  protected FaultProxyExtension<?> faults() {
    return FAULTS;
  }

  @Override
  protected ObjectStore openThroughProxy(Map<String, String> options) throws Exception {
    String container = "faults-" + CONTAINERS.incrementAndGet();
    new BlobServiceClientBuilder().connectionString(FAULTS.upstream().connectionString()).buildClient()
        .createBlobContainer(container);
    Map<String, String> all = new HashMap<>(options);
    all.put("connection-string-env", VARIABLE);
    String throughProxy = FAULTS.endpoint().connectionString();
    return new AzureStoreFactory(name -> VARIABLE.equals(name) ? throughProxy : null)
        .open(AzureStoreFactory.locate("azure://" + FAULTS.endpoint().accountName() + "/" + container, all).spec());
  }

  /** The blob's GETs; the SDK escapes the '/' in blob names. */
  @Override
  protected String readTarget(String key) {
    return "/" + key.replace("/", "(/|%2F)") + "$";
  }

  /**
   * The storage SDK's exponential back-off, (2^(n-1) - 1) * 500 ms before try n (no jitter of its
   * own), plus up to half of it again from {@link AzureTryPolicy}.
   */
  @Override
  protected Duration longestThrottledBackoff(int attempts) {
    Duration total = Duration.ZERO;
    for (int attempt = 2; attempt <= attempts; attempt++) {
      long delay = Math.min(AzureStoreFactory.MAX_RETRY_DELAY_MILLIS,
          ((1L << (attempt - 1)) - 1) * AzureStoreFactory.RETRY_DELAY_MILLIS);
      total = total.plusMillis(delay + delay / 2);
    }
    return total;
  }
}
