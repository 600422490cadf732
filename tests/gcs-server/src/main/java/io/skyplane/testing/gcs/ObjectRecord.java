package io.skyplane.testing.gcs;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One live object generation: its metadata and the immutable data file that holds its bytes.
 *
 * @param md5 base64 MD5 of the content, null for a composite object (as GCS)
 * @param crc32c base64 of the big-endian CRC32C of the content
 * @param data the data file; never modified, only replaced by a new generation's file
 */
record ObjectRecord(
    String bucket,
    String name,
    long generation,
    long metageneration,
    long size,
    String md5,
    String crc32c,
    ObjectAttrs attrs,
    Instant created,
    Instant updated,
    Path data) {

  ObjectRecord {
    Objects.requireNonNull(bucket, "bucket is null");
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(attrs, "attrs is null");
    Objects.requireNonNull(data, "data is null");
  }

  ObjectRecord withAttrs(ObjectAttrs newAttrs, Instant now) {
    return new ObjectRecord(
        bucket, name, generation, metageneration + 1, size, md5, crc32c, newAttrs, created, now,
        data);
  }

  String etag() {
    return Base64.getEncoder()
        .withoutPadding()
        .encodeToString((generation + "/" + metageneration).getBytes());
  }

  /** The object resource as the JSON API returns it. */
  Map<String, Object> toJson(String baseUrl) {
    String encoded = PathCodec.encodeSegment(name);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kind", "storage#object");
    json.put("id", bucket + "/" + name + "/" + generation);
    json.put("selfLink", baseUrl + "/storage/v1/b/" + bucket + "/o/" + encoded);
    json.put(
        "mediaLink",
        baseUrl + "/download/storage/v1/b/" + bucket + "/o/" + encoded
            + "?generation=" + generation + "&alt=media");
    json.put("name", name);
    json.put("bucket", bucket);
    json.put("generation", Long.toString(generation));
    json.put("metageneration", Long.toString(metageneration));
    attrs.withDefaultContentType(null).writeTo(json);
    json.put("storageClass", "STANDARD");
    json.put("size", Long.toString(size));
    if (md5 != null) { // composite objects have none
      json.put("md5Hash", md5);
    }
    json.put("crc32c", crc32c);
    json.put("etag", etag());
    json.put("timeCreated", rfc3339(created));
    json.put("updated", rfc3339(updated));
    json.put("timeStorageClassUpdated", rfc3339(created));
    return json;
  }

  static String rfc3339(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
