package io.skyplane.store.local;

import io.skyplane.store.MultipartUpload;
import io.skyplane.store.MultipartWriter;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.PartData;
import io.skyplane.store.PartReceipt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Uploads as files in the store's reserved area: upload {@code ID} is the directory
 * {@code .skyplane-tmp/ID/} at the root holding {@code data} (written at each part's object offset,
 * by any thread, as the part's bytes arrive) and {@code key} (the target key, for {@link #pending}).
 * An upload created with a tag has the id {@code <tag>-<32 hex digits>}, else 32 hex digits, as
 * GCS's part objects: a transfer finds what its uploads left under {@code .skyplane-tmp/<tag>-}.
 * Names of the area are fixed and short, whatever the key (a key of up to 255 bytes per segment
 * has an upload), and never collide with a user's file names. Complete checks the size, gives the
 * file the source's modification time, and renames it over the target (copying next to it first
 * when the target lies on another file system). A receipt's token is the part's object offset.
 * Listings show the area like any directory: what a transfer copies is for it to decide.
 */
final class LocalMultipart implements MultipartWriter {
  static final String AREA = ".skyplane-tmp";
  private static final Pattern UPLOAD_ID = Pattern.compile("([a-z0-9]{1,16}-)?[0-9a-f]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final LocalStore store;

  LocalMultipart(LocalStore store) {
    this.store = store;
  }

  /** A new id: {@code <tag>-<32 hex>}, or 32 hex digits without a tag. */
  static String newId(String tag) {
    MultipartWriter.checkTag(tag);
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    String random = HexFormat.of().formatHex(id);
    return tag.isEmpty() ? random : tag + "-" + random;
  }

  /**
   * A new name for a put's temporary file, in the format of {@link #newId} (a sweeper knows it by
   * its tag). Unique enough from a fast random source: the file is created with CREATE_NEW, so a
   * collision fails that put instead of sharing a file.
   */
  static String newTemporaryId(String tag) {
    MultipartWriter.checkTag(tag);
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    HexFormat hex = HexFormat.of();
    String id = hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
    return tag.isEmpty() ? id : tag + "-" + id;
  }

  private Path directory(String action, MultipartUpload upload) throws IOException {
    if (!UPLOAD_ID.matcher(upload.uploadId()).matches()) {
      throw LocalErrors.fatal(action, store.uri(upload.key()), "'" + upload.uploadId() + "' is no upload id of this store");
    }
    return store.root().resolve(AREA).resolve(upload.uploadId());
  }

  @Override
  public MultipartUpload create(String key) throws IOException {
    return create(key, "");
  }

  @Override
  public MultipartUpload create(String key, String tag) throws IOException {
    store.path("create an upload for", key); // checks the key
    String uploadId = newId(tag);
    MultipartUpload upload = new MultipartUpload(key, uploadId, System.currentTimeMillis());
    Path dir = directory("create an upload for", upload);
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve("key"), key.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      Files.createFile(dir.resolve("data"));
    } catch (IOException e) {
      throw LocalErrors.translate("create an upload for", store.uri(key), e);
    }
    return upload;
  }

  @Override
  public PartReceipt upload(MultipartUpload upload, int partNumber, long objectOffset, byte[] data,
      int offset, int length, int crc32c) throws IOException {
    return upload(upload, partNumber, objectOffset, PartData.of(data, offset, length, crc32c));
  }

  /** Streams the part into the upload's file at its offset; the CRC32C of what was written must match. */
  @Override
  public PartReceipt upload(MultipartUpload upload, int partNumber, long objectOffset, PartData data)
      throws IOException {
    String action = "upload part " + partNumber + " of";
    String uri = store.uri(upload.key());
    if (partNumber < 1 || objectOffset < 0) {
      throw LocalErrors.fatal(action, uri, "bad part number or offset " + objectOffset);
    }
    Path file = directory(action, upload).resolve("data");
    int crc;
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
      crc = LocalStore.write(data, out, objectOffset, action, uri);
    } catch (NoSuchFileException e) {
      throw LocalErrors.notFound(action + " upload " + upload.uploadId() + " (aborted or completed) of", uri);
    } catch (IOException e) {
      throw LocalErrors.translate(action, uri, e);
    }
    return new PartReceipt(partNumber, data.length(), crc, Long.toString(objectOffset));
  }

  @Override
  public ObjectInfo complete(MultipartUpload upload, List<PartReceipt> parts) throws IOException {
    return complete(upload, parts, 0);
  }

  @Override
  public ObjectInfo complete(MultipartUpload upload, List<PartReceipt> parts, long modifiedMillis)
      throws IOException {
    String uri = store.uri(upload.key());
    Path target = store.path("complete", upload.key());
    Path dir = directory("complete", upload);
    Path data = dir.resolve("data");
    long size = checkedSize(uri, parts);
    if (!Files.exists(data)) {
      // Completed before (the answer was lost), or aborted: accept the object if it has the size.
      Optional<ObjectInfo> done = store.stat(upload.key());
      if (done.isPresent() && done.get().size() == size) {
        return done.get();
      }
      throw LocalErrors.notFound("complete upload " + upload.uploadId() + " of", uri);
    }
    try {
      try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE)) {
        if (channel.size() != size) {
          throw LocalErrors.fatal("complete", uri,
              "the parts hold " + size + " bytes but " + channel.size() + " were written");
        }
      }
      ObjectInfo info = store.publish(data, target, upload.key(), modifiedMillis, "complete");
      removeDirectory(dir);
      return info;
    } catch (IOException e) {
      throw LocalErrors.translate("complete", uri, e);
    }
  }

  /** The object's size: part numbers 1..n, each part starting where the previous one ended. */
  private static long checkedSize(String uri, List<PartReceipt> parts) throws IOException {
    List<PartReceipt> sorted = new ArrayList<>(parts);
    sorted.sort(Comparator.comparingInt(PartReceipt::partNumber));
    long size = 0;
    for (int i = 0; i < sorted.size(); i++) {
      PartReceipt part = sorted.get(i);
      if (part.partNumber() != i + 1) {
        throw LocalErrors.fatal("complete", uri, "parts are not numbered 1.." + sorted.size());
      }
      if (!Long.toString(size).equals(part.token())) {
        throw LocalErrors.fatal("complete", uri,
            "part " + part.partNumber() + " starts at " + part.token() + ", expected " + size);
      }
      size += part.length();
    }
    return size;
  }

  @Override
  public void abort(MultipartUpload upload) throws IOException {
    Path dir = directory("abort", upload);
    try {
      removeDirectory(dir);
    } catch (IOException e) {
      throw LocalErrors.translate("abort upload " + upload.uploadId() + " of", store.uri(upload.key()), e);
    }
  }

  /** Removes an upload's directory and what it holds, then the area when it is empty. */
  private void removeDirectory(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve("data"));
    Files.deleteIfExists(dir.resolve("key"));
    try {
      Files.deleteIfExists(dir);
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      return; // something else in it (not ours): leave it
    }
    store.pruneEmptyParents(dir);
  }

  @Override
  public List<MultipartUpload> pending(String prefix) throws IOException {
    Path area = store.root().resolve(AREA);
    List<MultipartUpload> uploads = new ArrayList<>();
    if (!Files.isDirectory(area)) {
      return uploads;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(area)) {
      for (Path dir : dirs) {
        String id = dir.getFileName().toString();
        Path keyFile = dir.resolve("key");
        if (!UPLOAD_ID.matcher(id).matches() || !Files.isRegularFile(keyFile)) {
          continue;
        }
        String key;
        long started;
        try {
          key = new String(Files.readAllBytes(keyFile), StandardCharsets.UTF_8);
          started = Files.getLastModifiedTime(keyFile).toMillis();
        } catch (NoSuchFileException e) {
          continue; // completed or aborted meanwhile
        }
        if (key.startsWith(prefix)) {
          uploads.add(new MultipartUpload(key, id, started));
        }
      }
    } catch (IOException e) {
      throw LocalErrors.translate("list uploads under", store.uri(prefix), e);
    }
    uploads.sort(Comparator.comparing(MultipartUpload::key).thenComparing(MultipartUpload::uploadId));
    return uploads;
  }

  /** A file is written once: a part is read once, in order, and never again. */
  @Override
  public boolean rereadsParts() {
    return false;
  }

  @Override
  public long minPartSize() {
    return 1;
  }

  @Override
  public int maxParts() {
    return 100_000;
  }
}
