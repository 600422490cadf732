package io.skyplane.testing.gcs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/** Object metadata, media download, patch/update and delete. */
final class ObjectHandler {
  private final Storage storage;

  ObjectHandler(Storage storage) {
    this.storage = storage;
  }

  ApiResponse get(ApiRequest r, String bucket, String name, boolean media)
      throws ApiException, IOException {
    ObjectRecord rec = storage.get(bucket, name, r.longParam("generation"));
    Preconditions.fromQuery(r, false).check(rec, true);
    if (media || "media".equals(r.param("alt"))) {
      return media(r, rec);
    }
    return ApiResponse.json(200, rec.toJson(r.baseUrl()));
  }

  ApiResponse patch(ApiRequest r, String bucket, String name, boolean replace)
      throws ApiException, IOException {
    Map<String, Object> body = Json.parseObject(r.bodyText());
    ObjectRecord rec = storage.update(bucket, name, r.longParam("generation"),
        Preconditions.fromQuery(r, false),
        attrs -> replace ? ObjectAttrs.fromJson(body) : attrs.patch(body));
    return ApiResponse.json(200, rec.toJson(r.baseUrl()));
  }

  ApiResponse delete(ApiRequest r, String bucket, String name) throws ApiException, IOException {
    storage.delete(bucket, name, r.longParam("generation"), Preconditions.fromQuery(r, false));
    return ApiResponse.empty(204);
  }

  /** Concatenates up to 32 source objects of the same bucket into the destination object. */
  ApiResponse compose(ApiRequest r, String bucket, String name) throws ApiException, IOException {
    Map<String, Object> body = Json.parseObject(r.bodyText());
    if (!(body.get("sourceObjects") instanceof List<?> sources) || sources.isEmpty()
        || sources.size() > 32) {
      throw ApiException.badRequest("compose needs 1 to 32 sourceObjects");
    }
    List<ObjectRecord> parts = new ArrayList<>();
    for (Object o : sources) {
      if (!(o instanceof Map<?, ?> src) || src.get("name") == null) {
        throw ApiException.badRequest("compose source without a name");
      }
      Long gen = src.get("generation") == null ? null
          : Long.parseLong(String.valueOf(src.get("generation")));
      ObjectRecord rec = storage.get(bucket, String.valueOf(src.get("name")), gen);
      if (src.get("objectPreconditions") instanceof Map<?, ?> pre
          && pre.get("ifGenerationMatch") != null
          && Long.parseLong(String.valueOf(pre.get("ifGenerationMatch"))) != rec.generation()) {
        throw ApiException.preconditionFailed("source " + rec.name() + " ifGenerationMatch");
      }
      parts.add(rec);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> dest = body.get("destination") instanceof Map<?, ?> d
        ? (Map<String, Object>) d : Map.of();
    ObjectAttrs attrs = ObjectAttrs.hasWritableField(dest)
        ? ObjectAttrs.fromJson(dest) : parts.get(0).attrs();
    // As GCS does: a composite object has no MD5 (its CRC32C is that of the whole content).
    Path staged = storage.tmpDir().resolve("compose-" + System.nanoTime() + "-"
        + Thread.currentThread().getId());
    try {
      long size = 0;
      CRC32C crc = new CRC32C();
      ByteBuffer buffer = ByteBuffer.allocate(256 << 10);
      try (FileChannel out = FileChannel.open(staged, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        for (ObjectRecord part : parts) {
          try (FileChannel in = FileChannel.open(part.data(), StandardOpenOption.READ)) {
            while (in.read(buffer.clear()) >= 0) {
              buffer.flip();
              crc.update(buffer.duplicate());
              size += buffer.remaining();
              while (buffer.hasRemaining()) {
                out.write(buffer);
              }
            }
          }
        }
      }
      String crc32c = Base64.getEncoder().encodeToString(
          ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
      ObjectRecord rec = storage.commit(bucket, name, staged, size, null, crc32c, attrs,
          Preconditions.fromQuery(r, false));
      return ApiResponse.json(200, rec.toJson(r.baseUrl()));
    } finally {
      Files.deleteIfExists(staged);
    }
  }

  /** rewriteTo (answers a done rewrite response) and copyTo (answers the object). */
  ApiResponse copy(ApiRequest r, String srcBucket, String srcName, String dstBucket,
      String dstName, boolean rewrite) throws ApiException, IOException {
    ObjectRecord src = storage.get(srcBucket, srcName, r.longParam("sourceGeneration"));
    Preconditions.fromQuery(r, true).check(src, false);
    Map<String, Object> body = Json.parseObject(r.bodyText());
    ObjectAttrs attrs = ObjectAttrs.hasWritableField(body) ? ObjectAttrs.fromJson(body)
        : src.attrs();
    // Data files are immutable, so a hard link is a complete, instant copy.
    Path link = storage.tmpDir().resolve("copy-" + System.nanoTime() + "-"
        + Thread.currentThread().getId());
    try {
      Files.createLink(link, src.data());
      ObjectRecord rec = storage.commit(dstBucket, dstName, link, src.size(), src.md5(),
          src.crc32c(), attrs, Preconditions.fromQuery(r, false));
      if (!rewrite) {
        return ApiResponse.json(200, rec.toJson(r.baseUrl()));
      }
      return ApiResponse.json(200, Map.of(
          "kind", "storage#rewriteResponse",
          "totalBytesRewritten", Long.toString(rec.size()),
          "objectSize", Long.toString(rec.size()),
          "done", true,
          "resource", rec.toJson(r.baseUrl())));
    } finally {
      Files.deleteIfExists(link);
    }
  }

  private static ApiResponse media(ApiRequest r, ObjectRecord rec) throws ApiException {
    long size = rec.size();
    long start = 0;
    long end = size - 1;
    int status = 200;
    String range = r.header("Range");
    if (range != null && range.startsWith("bytes=") && !range.contains(",") && size > 0) {
      String spec = range.substring(6).trim();
      int dash = spec.indexOf('-');
      try {
        if (dash == 0) {
          start = Math.max(0, size - Long.parseLong(spec.substring(1)));
        } else {
          start = Long.parseLong(spec.substring(0, dash));
          if (dash < spec.length() - 1) {
            end = Math.min(end, Long.parseLong(spec.substring(dash + 1)));
          }
        }
      } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
        throw ApiException.badRequest("Invalid Range header: " + range);
      }
      if (start >= size || start > end) {
        throw new ApiException(416, "requestedRangeNotSatisfiable",
            "The requested range cannot be satisfied: " + range + " of " + size + " bytes");
      }
      status = 206;
    }
    long from = start;
    long length = end - start + 1;
    ApiResponse resp = ApiResponse.stream(status, length, out -> {
      try (InputStream in = Files.newInputStream(rec.data())) {
        in.skipNBytes(from);
        byte[] buf = new byte[1 << 20];
        long left = length;
        while (left > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            throw new IOException("data file shorter than its object: " + rec.name());
          }
          out.write(buf, 0, n);
          left -= n;
        }
      }
    });
    if (status == 206) {
      resp.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
    }
    return resp
        .header("Content-Type", rec.attrs().withDefaultContentType(null).contentType())
        .header("Accept-Ranges", "bytes")
        .header("ETag", "\"" + rec.etag() + "\"")
        .header("x-goog-generation", Long.toString(rec.generation()))
        .header("x-goog-metageneration", Long.toString(rec.metageneration()))
        .header("x-goog-hash", "crc32c=" + rec.crc32c() + (rec.md5() == null ? "" : ",md5=" + rec.md5()))
        .header("x-goog-stored-content-length", Long.toString(size))
        .header("x-goog-stored-content-encoding",
            rec.attrs().contentEncoding() == null ? "identity" : rec.attrs().contentEncoding());
  }
}
