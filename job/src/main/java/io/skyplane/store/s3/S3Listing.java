package io.skyplane.store.s3;

import io.skyplane.store.LookaheadListing;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.StoreException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/** ListObjectsV2 pages (up to 1,000 keys each), fetched as the iterator advances. */
final class S3Listing extends LookaheadListing {
  private final S3Store store;
  private final String prefix;
  private Iterator<S3Object> page;
  private String continuationToken;
  private boolean lastPage;

  S3Listing(S3Store store, String prefix) {
    this.store = store;
    this.prefix = prefix;
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      if (page != null && page.hasNext()) {
        S3Object object = page.next();
        next = store.info(object.key(), object.size(), object.lastModified(), object.eTag());
      } else if (lastPage) {
        return false;
      } else {
        fetch();
      }
    }
    return true;
  }

  /** Fetches the first page now, so that a missing bucket fails the {@code list} call itself. */
  S3Listing start() throws StoreException {
    try {
      fetch();
    } catch (UncheckedIOException e) {
      throw (StoreException) e.getCause();
    }
    return this;
  }

  private void fetch() {
    ListObjectsV2Response response = store.listPage(prefix, null, continuationToken);
    page = response.contents().iterator();
    continuationToken = response.nextContinuationToken();
    lastPage = !Boolean.TRUE.equals(response.isTruncated()) || continuationToken == null;
  }


  @Override
  public void close() {
    lastPage = true;
    page = null;
  }
}
