package io.skyplane.store.local;

import io.skyplane.store.MultipartUpload;
import io.skyplane.store.MultipartWriter;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.PartReceipt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * One temporary file per upload ({@code .NAME.skyplane-ID.tmp} next to the target), written at each
 * part's object offset by any thread; complete checks the size and renames it over the target.
 * A receipt's token is the part's object offset.
 */
final class LocalMultipart implements MultipartWriter {
  /** Upload files; {@link LocalStore#put} writes {@code .NAME.skyplane-put-ID.tmp}, never pending. */
  private static final Pattern TEMPORARY = Pattern.compile("^\\.(.+)\\.skyplane-(put-)?([0-9a-f]{16})\\.tmp$");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final LocalStore store;

  LocalMultipart(LocalStore store) {
    this.store = store;
  }

  static boolean isTemporary(String fileName) {
    return TEMPORARY.matcher(fileName).matches();
  }

  static String newId() {
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  static Path temporary(Path target, String uploadId) {
    return target.resolveSibling("." + target.getFileName() + ".skyplane-" + uploadId + ".tmp");
  }

  @Override
  public MultipartUpload create(String key) throws IOException {
    Path target = store.path("create an upload for", key);
    String uploadId = newId();
    try {
      Path temp = temporary(target, uploadId);
      LocalStore.inParents(temp, () -> Files.createFile(temp));
    } catch (IOException e) {
      throw LocalErrors.translate("create an upload for", store.uri(key), e);
    }
    return new MultipartUpload(key, uploadId, System.currentTimeMillis());
  }

  @Override
  public PartReceipt upload(MultipartUpload upload, int partNumber, long objectOffset, byte[] data,
      int offset, int length, int crc32c) throws IOException {
    String action = "upload part " + partNumber + " of";
    Path temp = temporary(store.path(action, upload.key()), upload.uploadId());
    if (partNumber < 1 || objectOffset < 0) {
      throw LocalErrors.fatal(action, store.uri(upload.key()), "bad part number or offset " + objectOffset);
    }
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    if ((int) crc.getValue() != crc32c) {
      throw LocalErrors.fatal(action, store.uri(upload.key()), String.format(
          "CRC32C mismatch: expected %08x, data has %08x", crc32c, (int) crc.getValue()));
    }
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(data, offset, length);
      long position = objectOffset;
      while (buffer.hasRemaining()) {
        position += out.write(buffer, position);
      }
    } catch (NoSuchFileException e) {
      throw LocalErrors.notFound(action + " upload " + upload.uploadId() + " (aborted or completed) of",
          store.uri(upload.key()));
    } catch (IOException e) {
      throw LocalErrors.translate(action, store.uri(upload.key()), e);
    }
    return new PartReceipt(partNumber, length, crc32c, Long.toString(objectOffset));
  }

  @Override
  public ObjectInfo complete(MultipartUpload upload, List<PartReceipt> parts) throws IOException {
    String uri = store.uri(upload.key());
    Path target = store.path("complete", upload.key());
    Path temp = temporary(target, upload.uploadId());
    long size = checkedSize(uri, parts);
    if (!Files.exists(temp)) {
      // Completed before (the answer was lost), or aborted: accept the object if it has the size.
      Optional<ObjectInfo> done = store.stat(upload.key());
      if (done.isPresent() && done.get().size() == size) {
        return done.get();
      }
      throw LocalErrors.notFound("complete upload " + upload.uploadId() + " of", uri);
    }
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        if (channel.size() != size) {
          throw LocalErrors.fatal("complete", uri,
              "the parts hold " + size + " bytes but " + channel.size() + " were written");
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return LocalStore.info(upload.key(), Files.readAttributes(target, BasicFileAttributes.class));
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
    Path temp = temporary(store.path("abort", upload.key()), upload.uploadId());
    try {
      if (Files.deleteIfExists(temp)) {
        store.pruneEmptyParents(temp);
      }
    } catch (IOException e) {
      throw LocalErrors.translate("abort upload " + upload.uploadId() + " of", store.uri(upload.key()), e);
    }
  }

  @Override
  public List<MultipartUpload> pending(String prefix) throws IOException {
    int slash = prefix.lastIndexOf('/');
    String dirKey = slash < 0 ? "" : prefix.substring(0, slash);
    Path dir = dirKey.isEmpty() ? store.root() : store.path("list uploads under", dirKey);
    List<MultipartUpload> uploads = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return uploads;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Matcher m = TEMPORARY.matcher(file.getFileName().toString());
        if (!m.matches() || m.group(2) != null || !Files.isRegularFile(file)) {
          continue;
        }
        String parent = store.root().relativize(file.getParent()).toString();
        String key = parent.isEmpty() ? m.group(1) : parent + "/" + m.group(1);
        if (key.startsWith(prefix)) {
          long started = Files.getLastModifiedTime(file).toMillis();
          uploads.add(new MultipartUpload(key, m.group(3), started));
        }
      }
    } catch (IOException e) {
      throw LocalErrors.translate("list uploads under", store.uri(prefix), e);
    }
    uploads.sort(Comparator.comparing(MultipartUpload::key));
    return uploads;
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
