package io.skyplane.testing.gcs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Object listing with the JSON API's paging rules: names in lexicographic order from
 * max(prefix, startOffset, page token) up to endOffset (exclusive); with a delimiter, names that
 * contain it past the prefix collapse into one prefix entry; items and prefixes together count
 * toward maxResults (at most 1000). The page token is the next name to look at, base64-encoded.
 */
final class Listing {
  static final int MAX_RESULTS = 1000;

  private Listing() {}

  static Map<String, Object> list(Bucket bucket, ApiRequest r) throws ApiException {
    String prefix = nonNull(r.param("prefix"));
    String delimiter = r.param("delimiter");
    if (delimiter != null && delimiter.isEmpty()) {
      delimiter = null;
    }
    boolean trailing = r.boolParam("includeTrailingDelimiter");
    Long max = r.longParam("maxResults");
    int limit = max == null || max <= 0 || max > MAX_RESULTS ? MAX_RESULTS : max.intValue();

    String start = prefix;
    start = later(start, r.param("startOffset"));
    start = later(start, decodeToken(r.param("pageToken")));
    NavigableMap<String, ObjectRecord> view = bucket.objects();
    String end = r.param("endOffset");
    if (end != null && !end.isEmpty()) {
      view = view.headMap(end, false);
    }

    List<Object> items = new ArrayList<>();
    List<Object> prefixes = new ArrayList<>();
    String next = null;
    int count = 0;
    String key = view.ceilingKey(start);
    while (key != null && key.startsWith(prefix)) {
      if (count == limit) {
        next = key;
        break;
      }
      int at = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
      if (at >= 0) {
        String p = key.substring(0, at + delimiter.length());
        prefixes.add(p);
        count++;
        if (trailing && key.equals(p)) {
          ObjectRecord rec = view.get(key);
          if (rec != null) {
            items.add(rec.toJson(r.baseUrl()));
          }
        }
        key = view.ceilingKey(successor(p));
        continue;
      }
      ObjectRecord rec = view.get(key);
      if (rec != null) {
        items.add(rec.toJson(r.baseUrl()));
        count++;
      }
      key = view.higherKey(key);
    }

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kind", "storage#objects");
    if (next != null) {
      json.put("nextPageToken", encodeToken(next));
    }
    if (!prefixes.isEmpty()) {
      json.put("prefixes", prefixes);
    }
    json.put("items", items);
    return json;
  }

  /** The smallest string greater than every string that starts with {@code p}. */
  private static String successor(String p) {
    char last = p.charAt(p.length() - 1);
    return p.substring(0, p.length() - 1) + (char) (last + 1);
  }

  private static String later(String a, String b) {
    return b == null || b.compareTo(a) <= 0 ? a : b;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private static String encodeToken(String name) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(name.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) throws ApiException {
    if (token == null || token.isEmpty()) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("Invalid pageToken: " + token);
    }
  }
}
