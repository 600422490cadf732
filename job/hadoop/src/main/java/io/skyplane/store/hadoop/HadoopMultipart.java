package io.skyplane.store.hadoop;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.skyplane.store.MultipartUpload;
import io.skyplane.store.MultipartWriter;
import io.skyplane.store.ObjectInfo;
import io.skyplane.store.PartReceipt;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Parts as hidden files {@code DIR/.skyplane-parts/ID/part-N} next to the target, written by any
 * worker; {@code DIR/.skyplane-parts/ID/upload} holds the upload's key (so an upload without parts
 * is pending, and a part for an aborted upload is refused). Complete checks every part's length,
 * joins them in order (a lone part is renamed; {@code FileSystem.concat} where the file system has
 * it, e.g. HDFS; otherwise
 * a copy through this process, straight into the target on S3A and gcs-connector, else into a
 * hidden temporary file that is renamed onto the target), then deletes the part directory. A
 * receipt's token is the part's object offset.
 *
 * <p>Parts may be as small as 1 byte: nothing in this scheme needs a minimum.
 */
final class HadoopMultipart implements MultipartWriter {
  private static final String MARKER = "upload";
  private static final String PART = "part-";

  private final HadoopStore store;

  HadoopMultipart(HadoopStore store) {
    this.store = store;
  }

  private static Path partsDir(Path target, String uploadId) {
    return new Path(new Path(target.getParent(), HadoopStore.PARTS_DIR), uploadId);
  }

  @Override
  public MultipartUpload create(String key) throws IOException {
    String action = "create an upload for";
    Path target = store.path(action, key);
    String uploadId = HadoopStore.newId();
    try (FSDataOutputStream out = store.fs().create(new Path(partsDir(target, uploadId), MARKER), false)) {
      out.write(key.getBytes(UTF_8));
    } catch (IOException | RuntimeException e) {
      throw HadoopErrors.translate(action, store.uri(key), e);
    }
    return new MultipartUpload(key, uploadId, System.currentTimeMillis());
  }

  @Override
  public PartReceipt upload(MultipartUpload upload, int partNumber, long objectOffset, byte[] data,
      int offset, int length, int crc32c) throws IOException {
    String action = "upload part " + partNumber + " of";
    String uri = store.uri(upload.key());
    Path dir = partsDir(store.path(action, upload.key()), upload.uploadId());
    if (partNumber < 1 || partNumber > maxParts() || objectOffset < 0) {
      throw HadoopErrors.fatal(action, uri, "bad part number or offset " + objectOffset);
    }
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    if ((int) crc.getValue() != crc32c) {
      throw HadoopErrors.fatal(action, uri, String.format(
          "CRC32C mismatch: expected %08x, data has %08x", crc32c, (int) crc.getValue()));
    }
    try {
      if (!store.fs().exists(new Path(dir, MARKER))) {
        throw HadoopErrors.notFound(action + " upload " + upload.uploadId() + " (aborted or completed) of", uri);
      }
      // Non-recursive: a part racing an abort fails instead of re-creating the deleted directory.
      FSDataOutputStream out = store.fs().createFile(new Path(dir, PART + partNumber)).overwrite(true).build();
      try {
        out.write(data, offset, length);
      } catch (IOException | RuntimeException e) {
        HadoopStore.abortQuietly(out, e);
        throw e;
      }
      out.close();
    } catch (IOException | RuntimeException e) {
      throw HadoopErrors.translate(action, uri, e);
    }
    return new PartReceipt(partNumber, length, crc32c, Long.toString(objectOffset));
  }

  @Override
  public ObjectInfo complete(MultipartUpload upload, List<PartReceipt> parts) throws IOException {
    String uri = store.uri(upload.key());
    Path target = store.path("complete", upload.key());
    Path dir = partsDir(target, upload.uploadId());
    List<PartReceipt> sorted = checkedParts(uri, parts);
    long size = sorted.stream().mapToLong(PartReceipt::length).sum();
    FileSystem fs = store.fs();
    try {
      if (!fs.exists(new Path(dir, MARKER))) {
        // Completed before (the answer was lost), or aborted: accept the object if it has the size.
        Optional<ObjectInfo> done = store.stat(upload.key());
        if (done.isPresent() && done.get().size() == size) {
          return done.get();
        }
        throw HadoopErrors.notFound("complete upload " + upload.uploadId() + " of", uri);
      }
      List<Path> files = checkedPartFiles(uri, dir, sorted, size);
      store.checkNotADirectory("complete", upload.key(), target);
      if (!store.directCommit() && files.size() == 1) {
        // One part (or parts an earlier complete concatenated before it failed): it is the object.
        store.renameOnto(files.get(0), target);
      } else if (!store.directCommit() && sorted.stream().allMatch(p -> p.length() > 0)
          && fs.hasPathCapability(dir, CommonPathCapabilities.FS_CONCAT)) {
        // HDFS: joins the parts' blocks in place, atomically (it refuses empty sources).
        Path first = files.get(0);
        fs.concat(first, files.subList(1, files.size()).toArray(new Path[0]));
        store.renameOnto(first, target);
      } else if (store.directCommit()) {
        copy(files, target, true);
      } else {
        Path temp = HadoopStore.temporary(target, upload.uploadId());
        try {
          copy(files, temp, true);
          store.renameOnto(temp, target);
        } catch (IOException | RuntimeException e) {
          store.deleteQuietly(temp);
          throw e;
        }
      }
      FileStatus status = fs.getFileStatus(target);
      if (status.getLen() != size) {
        throw HadoopErrors.fatal("complete", uri, "the object holds " + status.getLen() + " bytes, expected " + size);
      }
      fs.delete(dir, true);
      deleteEmptyPartsDir(dir.getParent());
      return HadoopStore.info(upload.key(), status);
    } catch (IOException | RuntimeException e) {
      throw HadoopErrors.translate("complete", uri, e);
    }
  }

  /** The receipts in part order: numbered 1..n, each part starting where the previous one ended. */
  private static List<PartReceipt> checkedParts(String uri, List<PartReceipt> parts) throws IOException {
    List<PartReceipt> sorted = new ArrayList<>(parts);
    sorted.sort(Comparator.comparingInt(PartReceipt::partNumber));
    long size = 0;
    for (int i = 0; i < sorted.size(); i++) {
      PartReceipt part = sorted.get(i);
      if (part.partNumber() != i + 1) {
        throw HadoopErrors.fatal("complete", uri, "parts are not numbered 1.." + sorted.size());
      }
      if (!Long.toString(size).equals(part.token())) {
        throw HadoopErrors.fatal("complete", uri,
            "part " + part.partNumber() + " starts at " + part.token() + ", expected " + size);
      }
      size += part.length();
    }
    return sorted;
  }

  /**
   * The part files, after checking each holds its receipt's length; or part 1 alone when it holds
   * the whole object and the other parts are gone (an earlier complete concatenated them and then
   * failed before its rename).
   */
  private List<Path> checkedPartFiles(String uri, Path dir, List<PartReceipt> sorted, long size) throws IOException {
    Map<String, FileStatus> byName = new HashMap<>();
    RemoteIterator<FileStatus> it = store.fs().listStatusIterator(dir);
    while (it.hasNext()) {
      FileStatus status = it.next();
      byName.put(status.getPath().getName(), status);
    }
    FileStatus first = byName.get(PART + 1);
    if (sorted.size() > 1 && first != null && first.getLen() == size
        && byName.keySet().stream().noneMatch(name -> name.startsWith(PART) && !name.equals(PART + 1))) {
      return List.of(first.getPath());
    }
    List<Path> files = new ArrayList<>();
    for (PartReceipt part : sorted) {
      FileStatus status = byName.get(PART + part.partNumber());
      if (status == null || status.getLen() != part.length()) {
        throw HadoopErrors.fatal("complete", uri, "part " + part.partNumber() + " holds "
            + (status == null ? "nothing" : status.getLen() + " bytes") + ", its receipt says " + part.length());
      }
      files.add(status.getPath());
    }
    return files;
  }

  private void copy(List<Path> parts, Path to, boolean overwrite) throws IOException {
    FSDataOutputStream out = store.fs().create(to, overwrite);
    try {
      byte[] buffer = new byte[1 << 20];
      for (Path part : parts) {
        try (FSDataInputStream in = store.fs().open(part)) {
          transfer(in, out, buffer);
        }
      }
    } catch (IOException | RuntimeException e) {
      HadoopStore.abortQuietly(out, e);
      throw e;
    }
    out.close();
  }

  private static void transfer(InputStream in, FSDataOutputStream out, byte[] buffer) throws IOException {
    int n;
    while ((n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
    }
  }

  /** Removes {@code DIR/.skyplane-parts} once its last upload is gone (file systems with real directories). */
  private void deleteEmptyPartsDir(Path partsParent) {
    try {
      store.fs().delete(partsParent, false);
    } catch (IOException | RuntimeException e) {
      // not empty: other uploads are under way
    }
  }

  @Override
  public void abort(MultipartUpload upload) throws IOException {
    String action = "abort upload " + upload.uploadId() + " of";
    Path target = store.path(action, upload.key());
    Path dir = partsDir(target, upload.uploadId());
    try {
      store.fs().delete(dir, true);
      store.fs().delete(HadoopStore.temporary(target, upload.uploadId()), false);
    } catch (FileNotFoundException e) {
      // aborted or completed before
    } catch (IOException | RuntimeException e) {
      throw HadoopErrors.translate(action, store.uri(upload.key()), e);
    }
    deleteEmptyPartsDir(dir.getParent());
  }

  @Override
  public List<MultipartUpload> pending(String prefix) throws IOException {
    String action = "list uploads under";
    int slash = prefix.lastIndexOf('/');
    String dirKey = slash < 0 ? "" : prefix.substring(0, slash);
    Path start = store.directory(action, dirKey);
    FileSystem fs = store.fs();
    List<MultipartUpload> uploads = new ArrayList<>();
    try {
      if (!fs.exists(start)) {
        return uploads;
      }
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(start, true);
      while (files.hasNext()) {
        LocatedFileStatus file = files.next();
        Path path = file.getPath();
        if (!path.getName().equals(MARKER) || path.getParent() == null || path.getParent().getParent() == null
            || !path.getParent().getParent().getName().equals(HadoopStore.PARTS_DIR)) {
          continue;
        }
        String key;
        try (FSDataInputStream in = fs.open(path)) {
          key = new String(in.readAllBytes(), UTF_8);
        } catch (FileNotFoundException e) {
          continue; // completed or aborted meanwhile
        }
        if (key.startsWith(prefix)) {
          uploads.add(new MultipartUpload(key, path.getParent().getName(), file.getModificationTime()));
        }
      }
    } catch (IOException | RuntimeException e) {
      throw HadoopErrors.translate(action, store.uri(prefix), e);
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
    return 10_000;
  }
}
