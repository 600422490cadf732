package io.skyplane.store.s3;

import io.skyplane.store.DelimitedListing.LevelEntry;
import io.skyplane.store.PagedLevel;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One level under a prefix: ListObjectsV2 with delimiter '/' (up to 1,000 keys and common prefixes
 * a page), pages fetched as the iterator advances. A directory marker {@code dir/} is an object of
 * the level {@code dir/} (and makes the common prefix {@code dir/} appear one level up).
 */
final class S3Level extends PagedLevel {
  private final S3Store store;
  private final String prefix;
  private String continuationToken;
  private boolean lastPage;

  S3Level(S3Store store, String prefix) {
    this.store = store;
    this.prefix = prefix;
  }

  @Override
  protected List<LevelEntry> fetch() {
    if (lastPage) {
      return null;
    }
    ListObjectsV2Response response = store.listPage(prefix, "/", continuationToken);
    continuationToken = response.nextContinuationToken();
    lastPage = !Boolean.TRUE.equals(response.isTruncated()) || continuationToken == null;
    List<LevelEntry> entries = new ArrayList<>();
    for (S3Object object : response.contents()) {
      entries.add(LevelEntry.of(store.info(object.key(), object.size(), object.lastModified(), object.eTag())));
    }
    for (CommonPrefix common : response.commonPrefixes()) {
      entries.add(LevelEntry.ofPrefix(common.prefix()));
    }
    return entries;
  }

  @Override
  public void close() {
    lastPage = true;
    super.close();
  }
}
