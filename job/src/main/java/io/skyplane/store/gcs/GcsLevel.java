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
 * child prefixes come as directory blobs. Hidden as in {@link GcsStore#list}: the multipart writer's
 * temporaries; a child prefix under {@link GcsMultipartWriter#TMP_PREFIX} (or that prefix itself)
 * appears only when a listing of it yields an object, which takes a listing request or more.
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
        if (!blob.getName().startsWith(GcsMultipartWriter.TMP_PREFIX) || holdsVisible(blob.getName())) {
          entries.add(LevelEntry.ofPrefix(blob.getName()));
        }
      } else if (GcsStore.visible(blob)) {
        entries.add(LevelEntry.of(GcsStore.info(blob)));
      }
    }
    return entries;
  }

  private boolean holdsVisible(String childPrefix) {
    try {
      return store.holdsVisible(childPrefix);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    page = null;
    super.close();
  }
}
