package io.skyplane.testing.gcs;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** {@code /upload/storage/v1/b/B/o}: media, multipart and resumable uploads. */
final class UploadHandler {
  private final Storage storage;
  private final Map<String, ResumableUpload> open = new ConcurrentHashMap<>();
  private final Map<String, ObjectRecord> finished = new ConcurrentHashMap<>();

  UploadHandler(Storage storage) {
    this.storage = storage;
  }

  ApiResponse handle(ApiRequest r, String bucket) throws ApiException, IOException {
    storage.bucket(bucket);
    String uploadId = r.param("upload_id");
    if (uploadId != null) {
      return "DELETE".equals(r.method()) ? cancel(uploadId) : chunk(r, uploadId);
    }
    String type = r.param("uploadType");
    if ("multipart".equals(type)) {
      return multipart(r, bucket);
    }
    if ("resumable".equals(type)) {
      return startResumable(r, bucket);
    }
    return media(r, bucket);
  }

  private ApiResponse media(ApiRequest r, String bucket) throws ApiException, IOException {
    ObjectAttrs attrs = ObjectAttrs.empty().withDefaultContentType(r.header("Content-Type"));
    if (r.param("contentEncoding") != null) {
      attrs = attrs.patch(Map.of("contentEncoding", r.param("contentEncoding")));
    }
    return store(r, bucket, r.param("name"), attrs, Map.of(), r.body());
  }

  private ApiResponse multipart(ApiRequest r, String bucket) throws ApiException, IOException {
    MultipartReader parts = new MultipartReader(r.body(),
        MultipartReader.boundary(r.header("Content-Type")));
    if (parts.nextPart() == null) {
      throw ApiException.badRequest("multipart upload without a metadata part");
    }
    Map<String, Object> meta = Json.parseObject(
        new String(parts.body().readAllBytes(), StandardCharsets.UTF_8));
    Headers mediaHeaders = parts.nextPart();
    if (mediaHeaders == null) {
      throw ApiException.badRequest("multipart upload without a media part");
    }
    ObjectAttrs attrs = ObjectAttrs.fromJson(meta)
        .withDefaultContentType(mediaHeaders.getFirst("Content-Type"));
    String name = meta.get("name") != null ? String.valueOf(meta.get("name")) : r.param("name");
    ApiResponse resp = store(r, bucket, name, attrs, meta, parts.body());
    while (parts.nextPart() != null) {
      // drain to the closing boundary
    }
    return resp;
  }

  private ApiResponse startResumable(ApiRequest r, String bucket)
      throws ApiException, IOException {
    Map<String, Object> meta = Json.parseObject(r.bodyText());
    String name = meta.get("name") != null ? String.valueOf(meta.get("name")) : r.param("name");
    if (name == null || name.isEmpty()) {
      throw ApiException.badRequest("resumable upload without an object name");
    }
    ObjectAttrs attrs = ObjectAttrs.fromJson(meta)
        .withDefaultContentType(r.header("X-Upload-Content-Type"));
    String id = UUID.randomUUID().toString().replace("-", "");
    open.put(id, new ResumableUpload(bucket, name, attrs, meta,
        Preconditions.fromQuery(r, false), new StagedFile(storage.tmpDir())));
    String location = r.baseUrl() + "/upload/storage/v1/b/" + bucket
        + "/o?uploadType=resumable&upload_id=" + id;
    return ApiResponse.empty(200).header("Location", location)
        .header("X-GUploader-UploadID", id);
  }

  private ApiResponse chunk(ApiRequest r, String id) throws ApiException, IOException {
    ObjectRecord done = finished.get(id);
    if (done != null) {
      return ApiResponse.json(200, done.toJson(r.baseUrl()));
    }
    ResumableUpload up = open.get(id);
    if (up == null) {
      throw new ApiException(404, "notFound", "No such upload: " + id);
    }
    synchronized (up) {
      Long total = up.receive(r.header("Content-Range"), r.body());
      if (total == null || up.staged().size() < total) {
        // Go clients send "X-GUploader-No-308: yes" and expect 200 plus an override header.
        boolean no308 = "yes".equalsIgnoreCase(r.header("X-GUploader-No-308"));
        ApiResponse resp = ApiResponse.empty(no308 ? 200 : 308);
        if (no308) {
          resp.header("X-HTTP-Status-Code-Override", "308");
        }
        if (up.staged().size() > 0) {
          resp.header("Range", "bytes=0-" + (up.staged().size() - 1));
        }
        return resp;
      }
      if (up.staged().size() > total) {
        throw ApiException.badRequest("upload " + id + " received more bytes than its total");
      }
      open.remove(id);
      try (StagedFile staged = up.staged()) {
        ObjectRecord rec = commit(up.bucket(), up.name(), up.attrs(), up.meta(), staged,
            up.preconditions());
        finished.put(id, rec);
        return ApiResponse.json(200, rec.toJson(r.baseUrl()));
      }
    }
  }

  private ApiResponse cancel(String id) throws IOException {
    ResumableUpload up = open.remove(id);
    if (up != null) {
      up.staged().close();
    }
    return ApiResponse.empty(499);
  }

  private ApiResponse store(ApiRequest r, String bucket, String name, ObjectAttrs attrs,
      Map<String, Object> meta, InputStream body) throws ApiException, IOException {
    if (name == null || name.isEmpty()) {
      throw ApiException.badRequest("upload without an object name");
    }
    try (StagedFile staged = new StagedFile(storage.tmpDir())) {
      staged.append(body, -1);
      ObjectRecord rec = commit(bucket, name, attrs, meta, staged,
          Preconditions.fromQuery(r, false));
      return ApiResponse.json(200, rec.toJson(r.baseUrl()));
    }
  }

  /** Checks client-sent hashes, then makes the staged content live. */
  private ObjectRecord commit(String bucket, String name, ObjectAttrs attrs,
      Map<String, Object> meta, StagedFile staged, Preconditions pre)
      throws ApiException, IOException {
    StagedFile.Hashes hashes = staged.finish();
    check("md5Hash", meta.get("md5Hash"), hashes.md5());
    check("crc32c", meta.get("crc32c"), hashes.crc32c());
    return storage.commit(bucket, name, staged.file(), staged.size(), hashes.md5(),
        hashes.crc32c(), attrs, pre);
  }

  private static void check(String field, Object expected, String actual) throws ApiException {
    if (expected != null && !String.valueOf(expected).equals(actual)) {
      throw ApiException.badRequest("Provided " + field + " \"" + expected
          + "\" doesn't match calculated " + field + " \"" + actual + "\".");
    }
  }
}
