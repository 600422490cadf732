package io.skyplane.store.azure;

import com.azure.core.http.rest.PagedResponse;
import com.azure.storage.blob.models.BlobItem;
import io.skyplane.store.DelimitedListing.LevelEntry;
import io.skyplane.store.PagedLevel;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One level under a prefix: the listing by hierarchy with delimiter '/', whose child prefixes are
 * the items with {@code isPrefix()}. A directory marker {@code dir/} is an object of the level
 * {@code dir/}.
 */
final class AzureLevel extends PagedLevel {
  private final AzureStore store;
  private final Iterator<PagedResponse<BlobItem>> pages;
  private final String prefix;
  private boolean closed;

  AzureLevel(AzureStore store, Iterator<PagedResponse<BlobItem>> pages, String prefix) {
    this.store = store;
    this.pages = pages;
    this.prefix = prefix;
  }

  @Override
  protected List<LevelEntry> fetch() {
    List<BlobItem> items;
    try {
      if (closed || !pages.hasNext()) {
        return null;
      }
      items = pages.next().getValue();
    } catch (RuntimeException e) {
      throw new UncheckedIOException(AzureErrors.translate("list", store.uri(prefix), e));
    }
    List<LevelEntry> entries = new ArrayList<>();
    for (BlobItem item : items) {
      if (Boolean.TRUE.equals(item.isPrefix())) {
        entries.add(LevelEntry.ofPrefix(item.getName()));
      } else {
        entries.add(LevelEntry.of(AzureStore.visible(item)));
      }
    }
    return entries;
  }

  @Override
  public void close() {
    closed = true;
    super.close();
  }
}
