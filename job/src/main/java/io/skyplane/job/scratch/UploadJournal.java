package io.skyplane.job.scratch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skyplane.store.Crc32c;
import io.skyplane.store.MultipartUpload;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.ObjectListing;
import io.skyplane.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The multipart uploads a run started, kept in the run's area of the destination so that the run's
 * own sweep, a later run, or {@code skyplane clean} can abort exactly these (never another run's
 * upload of the same key). Written in batches, before and after the uploads are created: first the
 * keys about to get an upload ({@code W-NNNNNNNN.intent}), then the uploads ({@code W-NNNNNNNN.uploads};
 * {@code W} names the writer: each attempt of a restarted job journals beside the earlier ones).
 * An intent without its uploads (the writer died in between) names keys whose uploads the sweep
 * looks up in the store. Used from one thread at a time.
 */
public final class UploadJournal {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectStore store;
  private final String run;
  /** Names this writer's batches: a restarted job's new writer never overwrites an earlier one's. */
  private final String writer = Scratch.newRunId().substring(0, 8);
  private long seq;

  /** One batch's intent: when it was written and which keys were about to get an upload. */
  record Intent(long atMillis, List<String> keys) {}

  /** One batch's uploads. */
  record Uploads(List<Entry> uploads) {}

  /** One upload, as journaled. */
  record Entry(String key, String id, long started) {
    MultipartUpload upload() {
      return new MultipartUpload(key, id, started);
    }
  }

  /** What a run's journal holds: the uploads it started, and keys of intents never completed. */
  public record Contents(List<MultipartUpload> uploads, Map<String, Long> orphanIntents) {}

  public UploadJournal(ObjectStore store, String run) {
    this.store = requireNonNull(store, "store is null");
    this.run = requireNonNull(run, "run is null");
  }

  /** Records that uploads are about to be started for {@code keys}. */
  public void intend(List<String> keys) throws IOException {
    write(Scratch.intent(run, writer, seq), new Intent(System.currentTimeMillis(), keys));
  }

  /** Records the uploads started since the last {@link #intend}; the next batch follows. */
  public void started(List<MultipartUpload> uploads) throws IOException {
    List<Entry> entries = new ArrayList<>(uploads.size());
    for (MultipartUpload upload : uploads) {
      entries.add(new Entry(upload.key(), upload.uploadId(), upload.startedMillis()));
    }
    write(Scratch.uploads(run, writer, seq), new Uploads(entries));
    seq++;
  }

  private void write(String key, Object value) throws IOException {
    byte[] json = JSON.writeValueAsBytes(value);
    store.put(key, json, 0, json.length, Crc32c.of(json, 0, json.length));
  }

  /** Reads a run's journal. */
  public static Contents read(ObjectStore store, String run) throws IOException {
    Map<String, Intent> intents = new HashMap<>();
    Map<String, Uploads> uploads = new HashMap<>();
    String prefix = Scratch.journalPrefix(run);
    try (ObjectListing listing = store.list(prefix)) {
      while (listing.hasNext()) {
        ObjectInfo info = listing.next();
        String name = info.key().substring(prefix.length());
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
          continue;
        }
        String batch = name.substring(0, dot);
        byte[] bytes = readAll(store, info);
        switch (name.substring(dot + 1)) {
          case "intent" -> intents.put(batch, JSON.readValue(bytes, Intent.class));
          case "uploads" -> uploads.put(batch, JSON.readValue(bytes, Uploads.class));
          default -> { }
        }
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    List<MultipartUpload> started = new ArrayList<>();
    uploads.values().forEach(u -> u.uploads().forEach(e -> started.add(e.upload())));
    Map<String, Long> orphans = new HashMap<>();
    intents.forEach((batch, intent) -> {
      if (!uploads.containsKey(batch)) {
        intent.keys().forEach(k -> orphans.merge(k, intent.atMillis(), Math::min));
      }
    });
    return new Contents(List.copyOf(started), Map.copyOf(orphans));
  }

  static byte[] readAll(ObjectStore store, ObjectInfo info) throws IOException {
    try (InputStream in = store.read(info.key(), 0, info.size())) {
      return in.readAllBytes();
    }
  }
}
