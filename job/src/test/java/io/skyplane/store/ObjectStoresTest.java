package io.skyplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectStoresTest {
  @Test
  void findsTheFactoriesOfThisModule() {
    assertThat(ObjectStores.schemes()).contains("file", "s3");
  }

  @Test
  void unknownSchemeIsAClearFatalError() {
    assertThatThrownBy(() -> ObjectStores.open(new StoreSpec("nope", "b", Map.of())))
        .isInstanceOfSatisfying(StoreException.class,
            e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.FATAL))
        .hasMessageContaining("no object store for scheme 'nope'")
        .hasMessageContaining("file")
        .hasMessageContaining("s3");
  }
}
