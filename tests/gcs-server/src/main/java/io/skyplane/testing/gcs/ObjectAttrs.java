package io.skyplane.testing.gcs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The client-writable part of an object's metadata. Null fields are absent.
 *
 * @param metadata custom key/value metadata (never null)
 */
record ObjectAttrs(
    String contentType,
    String contentEncoding,
    String contentDisposition,
    String contentLanguage,
    String cacheControl,
    String customTime,
    Map<String, String> metadata) {

  static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  ObjectAttrs {
    metadata = Map.copyOf(metadata);
  }

  static ObjectAttrs empty() {
    return new ObjectAttrs(null, null, null, null, null, null, Map.of());
  }

  /** Attributes from a request's object resource JSON; absent fields stay null. */
  static ObjectAttrs fromJson(Map<String, Object> json) {
    return empty().patch(json);
  }

  /** True when the resource JSON names at least one writable field. */
  static boolean hasWritableField(Map<String, Object> json) {
    return json.containsKey("contentType")
        || json.containsKey("contentEncoding")
        || json.containsKey("contentDisposition")
        || json.containsKey("contentLanguage")
        || json.containsKey("cacheControl")
        || json.containsKey("customTime")
        || json.containsKey("metadata");
  }

  /** PATCH semantics: present fields replace (null clears), metadata keys merge (null removes). */
  ObjectAttrs patch(Map<String, Object> json) {
    Map<String, String> meta = new TreeMap<>(metadata);
    Object m = json.get("metadata");
    if (json.containsKey("metadata") && m == null) {
      meta.clear();
    } else if (m instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (e.getValue() == null) {
          meta.remove(String.valueOf(e.getKey()));
        } else {
          meta.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
        }
      }
    }
    return new ObjectAttrs(
        pick(json, "contentType", contentType),
        pick(json, "contentEncoding", contentEncoding),
        pick(json, "contentDisposition", contentDisposition),
        pick(json, "contentLanguage", contentLanguage),
        pick(json, "cacheControl", cacheControl),
        pick(json, "customTime", customTime),
        meta);
  }

  ObjectAttrs withDefaultContentType(String fallback) {
    if (contentType != null && !contentType.isEmpty()) {
      return this;
    }
    String type = fallback == null || fallback.isEmpty() ? DEFAULT_CONTENT_TYPE : fallback;
    return new ObjectAttrs(
        type, contentEncoding, contentDisposition, contentLanguage, cacheControl, customTime,
        metadata);
  }

  void writeTo(Map<String, Object> json) {
    put(json, "contentType", contentType);
    put(json, "contentEncoding", contentEncoding);
    put(json, "contentDisposition", contentDisposition);
    put(json, "contentLanguage", contentLanguage);
    put(json, "cacheControl", cacheControl);
    put(json, "customTime", customTime);
    if (!metadata.isEmpty()) {
      json.put("metadata", new LinkedHashMap<>(new TreeMap<>(metadata)));
    }
  }

  private static String pick(Map<String, Object> json, String key, String current) {
    if (!json.containsKey(key)) {
      return current;
    }
    Object v = json.get(key);
    return v == null ? null : String.valueOf(v);
  }

  private static void put(Map<String, Object> json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
