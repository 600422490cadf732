package io.skyplane.testing.gcs;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** A bucket: its live objects by name (sorted, as listings need) and its data folder. */
final class Bucket {
  private final String name;
  private final Instant created;
  private final Path dir;
  private final ConcurrentSkipListMap<String, ObjectRecord> objects = new ConcurrentSkipListMap<>();

  Bucket(String name, Instant created, Path dir) {
    this.name = name;
    this.created = created;
    this.dir = dir;
  }

  String name() {
    return name;
  }

  Path dir() {
    return dir;
  }

  /** Live objects; mutate only while holding this bucket's monitor. */
  ConcurrentSkipListMap<String, ObjectRecord> objects() {
    return objects;
  }

  Map<String, Object> toJson(String baseUrl) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kind", "storage#bucket");
    json.put("id", name);
    json.put("selfLink", baseUrl + "/storage/v1/b/" + name);
    json.put("name", name);
    json.put("projectNumber", "0");
    json.put("metageneration", "1");
    json.put("location", "US");
    json.put("locationType", "region");
    json.put("storageClass", "STANDARD");
    json.put("etag", "CAE=");
    json.put("timeCreated", ObjectRecord.rfc3339(created));
    json.put("updated", ObjectRecord.rfc3339(created));
    json.put(
        "iamConfiguration",
        Map.of(
            "bucketPolicyOnly", Map.of("enabled", false),
            "uniformBucketLevelAccess", Map.of("enabled", false)));
    return json;
  }
}
