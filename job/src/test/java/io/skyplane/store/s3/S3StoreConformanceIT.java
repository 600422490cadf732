package io.skyplane.store.s3;

import io.skyplane.store.ObjectStore;
import io.skyplane.store.ObjectStoreConformance;
import io.skyplane.store.StoreException;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The conformance suite on S3Proxy (filesystem backend), each test in a fresh bucket. */
class S3StoreConformanceIT extends ObjectStoreConformance {
  @RegisterExtension static final S3Buckets BUCKETS = new S3Buckets();

  @Override
  protected ObjectStore newStore() throws Exception {
    return BUCKETS.open(BUCKETS.create());
  }

  @Override
  protected ObjectStore storeWithoutBucket() throws Exception {
    return BUCKETS.open("never-created");
  }

  /**
   * S3Proxy's filesystem backend maps keys to paths and refuses keys with '..' segments (400 Bad
   * Request for one that climbs out of the bucket; 500 InternalError for {@code x/../y}). Real S3
   * stores such keys literally.
   */
  @Override
  protected Optional<StoreException.Kind> dotDotKeyRejection() {
    return Optional.of(StoreException.Kind.FATAL);
  }

  /**
   * S3Proxy 4.1.0 answers 200 to UploadPart with the id of an aborted upload (real S3: 404
   * NoSuchUpload). The part is not visible: no object and no pending upload appear.
   */
  @Override
  protected boolean rejectsPartsOfAbortedUploads() {
    return false;
  }
}
