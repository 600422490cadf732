package io.skyplane.store.gcs;

import com.google.api.gax.paging.Page;
import com.google.cloud.storage.Blob;
import io.skyplane.store.DelimitedListing.LevelEntry;
import io.skyplane.store.PagedLevel;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One level under a prefix: the client's listing of the "current directory" (delimiter '/'), whose
 * child prefixes come as directory blobs. Nothing is hidden (see {@link GcsStore}).
 */
final class GcsLevel extends PagedLevel {
  private final GcsStore store;
  private final String prefix;
  private Page<Blob> page;
  private boolean first = true;

  GcsLevel(GcsStore store, Page<Blob> first, String prefix) {
    this.store = store;
    this.page = first;
    this.prefix = prefix;
  }

  @Override
  protected List<LevelEntry> fetch() {
    if (page == null) {
      return null;
    }
    if (!first) {
      if (!page.hasNextPage()) {
        page = null;
        return null;
      }
      try {
        page = page.getNextPage();
      } catch (RuntimeException e) {
        throw new UncheckedIOException(GcsErrors.translate("list", store.uri(prefix), e));
      }
    }
    first = false;
    List<LevelEntry> entries = new ArrayList<>();
    for (Blob blob : page.getValues()) {
      if (blob.isDirectory()) {
        entries.add(LevelEntry.ofPrefix(blob.getName()));
      } else {
        entries.add(LevelEntry.of(GcsStore.info(blob)));
      }
    }
    return entries;
  }

  @Override
  public void close() {
    page = null;
    super.close();
  }
}
