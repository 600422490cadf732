package io.skyplane.testing.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wire-level checks of the JSON API in-process (fast); the real-client checks run against the
 * server as a separate process in the skyplane-test-servers ITs.
 */
class GcsServerTest {
  @TempDir static Path data;
  private static GcsServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = GcsServer.start("127.0.0.1", 0, data);
    assertThat(send("POST", "/storage/v1/b?project=p", "{\"name\":\"bkt\"}", Map.of()).statusCode())
        .isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void listsWithDelimiterTrailingDelimiterOffsetsAndPages() throws Exception {
    for (String n : List.of("l/a", "l/b/", "l/b/c", "l/c", "l/d/e", "l/f")) {
      put(n, "x");
    }
    Map<String, Object> top = json(get("/storage/v1/b/bkt/o?prefix=l/&delimiter=/"));
    assertThat(names(top)).containsExactly("l/a", "l/c", "l/f");
    assertThat(top.get("prefixes")).isEqualTo(List.of("l/b/", "l/d/"));

    Map<String, Object> trailing =
        json(get("/storage/v1/b/bkt/o?prefix=l/&delimiter=/&includeTrailingDelimiter=true"));
    assertThat(names(trailing)).containsExactly("l/a", "l/b/", "l/c", "l/f");

    Map<String, Object> window = json(get("/storage/v1/b/bkt/o?startOffset=l/b&endOffset=l/d"));
    assertThat(names(window)).containsExactly("l/b/", "l/b/c", "l/c");

    Map<String, Object> page1 = json(get("/storage/v1/b/bkt/o?prefix=l/&maxResults=4"));
    assertThat(names(page1)).containsExactly("l/a", "l/b/", "l/b/c", "l/c");
    Map<String, Object> page2 = json(get("/storage/v1/b/bkt/o?prefix=l/&maxResults=4&pageToken="
        + page1.get("nextPageToken")));
    assertThat(names(page2)).containsExactly("l/d/e", "l/f");
    assertThat(page2).doesNotContainKey("nextPageToken");
  }

  @Test
  void answersRangesAndPreconditionErrorsAsJson() throws Exception {
    Map<String, Object> obj = put("r", "0123456789");
    HttpResponse<String> range = send("GET", "/download/storage/v1/b/bkt/o/r?alt=media", null,
        Map.of("Range", "bytes=2-4"));
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body()).isEqualTo("234");
    assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 2-4/10");
    assertThat(send("GET", "/storage/v1/b/bkt/o/r?alt=media", null, Map.of("Range", "bytes=-3"))
        .body()).isEqualTo("789");
    assertThat(send("GET", "/storage/v1/b/bkt/o/r?alt=media", null, Map.of("Range", "bytes=10-"))
        .statusCode()).isEqualTo(416);

    HttpResponse<String> failed = send("POST",
        "/upload/storage/v1/b/bkt/o?uploadType=media&name=r&ifGenerationMatch=0", "y", Map.of());
    assertThat(failed.statusCode()).isEqualTo(412);
    assertThat(failed.body()).contains("\"reason\":\"conditionNotMet\"", "\"code\":412");
    assertThat(send("DELETE", "/storage/v1/b/bkt/o/r?ifGenerationMatch=" + obj.get("generation"),
        null, Map.of()).statusCode()).isEqualTo(204);
  }

  @Test
  void acceptsGzipBodiesAndReportsHashes() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write("hello world".getBytes(StandardCharsets.UTF_8));
    }
    HttpResponse<String> resp = HTTP.send(HttpRequest.newBuilder(uri(
            "/upload/storage/v1/b/bkt/o?uploadType=media&name=gz"))
        .header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofString());
    Map<String, Object> obj = json(resp);
    assertThat(obj).containsEntry("size", "11").containsEntry("md5Hash", "XrY7u+Ae7tCTyyK7j1rNww==")
        .containsEntry("crc32c", "yZRlqg==");
  }

  @Test
  void resumesUploadsAcrossChunksAndOverlaps() throws Exception {
    HttpResponse<String> init = send("POST",
        "/upload/storage/v1/b/bkt/o?uploadType=resumable&name=res", "{}", Map.of());
    String location = init.headers().firstValue("Location").orElseThrow();
    String path = URI.create(location).getRawPath() + "?" + URI.create(location).getRawQuery();
    HttpResponse<String> first = send("PUT", path, "abcd", Map.of("Content-Range", "bytes 0-3/*"));
    assertThat(first.statusCode()).isEqualTo(308);
    assertThat(first.headers().firstValue("Range")).hasValue("bytes=0-3");
    // The client re-sends overlapping bytes; the server keeps what it has.
    HttpResponse<String> last = send("PUT", path, "cdefg", Map.of("Content-Range", "bytes 2-6/7"));
    assertThat(last.statusCode()).isEqualTo(200);
    assertThat(send("GET", "/storage/v1/b/bkt/o/res?alt=media", null, Map.of()).body())
        .isEqualTo("abcdefg");
  }

  @Test
  void composesRewritesPatchesAndBatches() throws Exception {
    put("c1", "ab");
    put("c2", "cd");
    assertThat(json(send("POST", "/storage/v1/b/bkt/o/c3/compose",
        "{\"sourceObjects\":[{\"name\":\"c1\"},{\"name\":\"c2\"}],\"destination\":{}}", Map.of())))
        .containsEntry("size", "4")
        .containsEntry("crc32c", crc32c("abcd"))
        .doesNotContainKey("md5Hash"); // a composite object has no MD5 in GCS
    assertThat(send("GET", "/download/storage/v1/b/bkt/o/c3?alt=media", null, Map.of()).body())
        .isEqualTo("abcd");
    Map<String, Object> rewrite = json(send("POST",
        "/storage/v1/b/bkt/o/c3/rewriteTo/b/bkt/o/dir%2Fc4", "", Map.of()));
    assertThat(rewrite).containsEntry("done", true);
    Map<String, Object> patched = json(send("PATCH", "/storage/v1/b/bkt/o/dir%2Fc4",
        "{\"metadata\":{\"k\":\"v\"}}", Map.of()));
    assertThat(patched).containsEntry("metageneration", "2");
    HttpResponse<String> stale = send("PATCH",
        "/storage/v1/b/bkt/o/dir%2Fc4?ifMetagenerationMatch=1",
        "{\"contentType\":\"text/plain\"}", Map.of());
    assertThat(stale.statusCode()).isEqualTo(412);
    assertThat(send("GET", "/storage/v1/b/bkt/o/dir%2Fc4?ifGenerationNotMatch="
        + patched.get("generation"), null, Map.of()).statusCode()).isEqualTo(304);

    String batch = "--xyz\r\nContent-Type: application/http\r\nContent-ID: <1>\r\n\r\n"
        + "DELETE /storage/v1/b/bkt/o/c1 HTTP/1.1\r\n\r\n\r\n"
        + "--xyz\r\nContent-Type: application/http\r\nContent-ID: <2>\r\n\r\n"
        + "GET /storage/v1/b/bkt/o/nope HTTP/1.1\r\n\r\n\r\n--xyz--\r\n";
    HttpResponse<String> resp = send("POST", "/batch/storage/v1", batch,
        Map.of("Content-Type", "multipart/mixed; boundary=xyz"));
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.body()).contains("Content-ID: <response-1>", "HTTP/1.1 204",
        "Content-ID: <response-2>", "HTTP/1.1 404");
    assertThat(send("GET", "/storage/v1/b/bkt/o/c1", null, Map.of()).statusCode()).isEqualTo(404);
  }

  private static String crc32c(String text) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return java.util.Base64.getEncoder().encodeToString(
        java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static Map<String, Object> put(String name, String body) throws Exception {
    return json(send("POST", "/upload/storage/v1/b/bkt/o?uploadType=media&name=" + name, body,
        Map.of()));
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, null, Map.of());
  }

  private static HttpResponse<String> send(String method, String path, String body,
      Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create(server.endpoint() + path);
  }

  private static Map<String, Object> json(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.parseObject(r.body());
  }

  @SuppressWarnings("unchecked")
  private static List<String> names(Map<String, Object> listing) {
    return ((List<Map<String, Object>>) listing.get("items")).stream()
        .map(m -> (String) m.get("name")).toList();
  }
}
