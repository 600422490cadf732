package io.skyplane.testing.gcs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps JSON-API paths to handlers and turns failures into JSON error responses. Paths:
 * {@code [/upload|/download]/storage/v1/b[/B[/o[/OBJECT[/compose|/rewriteTo/b/B2/o/O2|
 * /copyTo/b/B2/o/O2]]]]} and {@code /batch/storage/v1}. Object names are taken raw from the path
 * and percent-decoded, so both encoded and literal slashes work.
 */
final class Router {
  private static final String API = "/storage/v1/";

  private final Storage storage;
  private final ObjectHandler objects;
  private final UploadHandler uploads;
  private final BatchHandler batch;

  Router(Storage storage) {
    this.storage = storage;
    this.objects = new ObjectHandler(storage);
    this.uploads = new UploadHandler(storage);
    this.batch = new BatchHandler(this);
  }

  ApiResponse handle(ApiRequest r) {
    try {
      return route(r);
    } catch (ApiException e) {
      return e.toResponse();
    } catch (IllegalArgumentException e) {
      return ApiException.badRequest(e.getMessage()).toResponse();
    } catch (IOException | RuntimeException e) {
      return new ApiException(500, "backendError", String.valueOf(e)).toResponse();
    }
  }

  private ApiResponse route(ApiRequest r) throws ApiException, IOException {
    String path = r.rawPath();
    if (path.startsWith("/batch/")) {
      requireMethod(r, "POST");
      return batch.handle(r);
    }
    int api = path.indexOf(API);
    if (api < 0) {
      throw new ApiException(404, "notFound", "Not found: " + path);
    }
    String mode = path.substring(0, api);
    String rest = path.substring(api + API.length());
    List<String> seg = List.of(rest.split("/", 4));
    if (!seg.get(0).equals("b")) {
      throw new ApiException(404, "notFound", "Not found: " + path);
    }
    String method = r.method();
    if (seg.size() == 1 || seg.get(1).isEmpty()) {
      return "POST".equals(method) ? createBucket(r) : listBuckets(r);
    }
    String bucket = ApiRequest.decodePath(seg.get(1));
    if (seg.size() == 2) {
      return bucket(r, bucket);
    }
    if (!seg.get(2).equals("o")) {
      throw new ApiException(404, "notFound", "Not found: " + path);
    }
    if (mode.endsWith("/upload")) {
      return uploads.handle(r, bucket);
    }
    if (seg.size() == 3 || seg.get(3).isEmpty()) {
      requireMethod(r, "GET");
      return ApiResponse.json(200, Listing.list(storage.bucket(bucket), r));
    }
    return object(r, bucket, seg.get(3), mode.endsWith("/download"));
  }

  private ApiResponse object(ApiRequest r, String bucket, String rawObject, boolean download)
      throws ApiException, IOException {
    for (String verb : new String[] {"/rewriteTo/b/", "/copyTo/b/"}) {
      int at = rawObject.indexOf(verb);
      if (at > 0 && "POST".equals(r.method())) {
        String[] dst = rawObject.substring(at + verb.length()).split("/o/", 2);
        if (dst.length != 2) {
          throw ApiException.badRequest("Invalid copy destination: " + rawObject);
        }
        return objects.copy(r, bucket, ApiRequest.decodePath(rawObject.substring(0, at)),
            ApiRequest.decodePath(dst[0]), ApiRequest.decodePath(dst[1]),
            verb.startsWith("/rewrite"));
      }
    }
    if (rawObject.endsWith("/compose") && "POST".equals(r.method())) {
      String name = rawObject.substring(0, rawObject.length() - "/compose".length());
      return objects.compose(r, bucket, ApiRequest.decodePath(name));
    }
    String name = ApiRequest.decodePath(rawObject);
    return switch (r.method()) {
      case "GET", "HEAD" -> objects.get(r, bucket, name, download);
      case "PATCH" -> objects.patch(r, bucket, name, false);
      case "PUT" -> objects.patch(r, bucket, name, true);
      case "DELETE" -> objects.delete(r, bucket, name);
      default -> throw new ApiException(405, "methodNotAllowed", r.method() + " " + r.rawPath());
    };
  }

  private ApiResponse bucket(ApiRequest r, String bucket) throws ApiException, IOException {
    switch (r.method()) {
      case "DELETE":
        storage.deleteBucket(bucket);
        return ApiResponse.empty(204);
      case "GET":
      case "HEAD":
      case "PATCH":
      case "PUT":
        return ApiResponse.json(200, storage.bucket(bucket).toJson(r.baseUrl()));
      default:
        throw new ApiException(405, "methodNotAllowed", r.method() + " " + r.rawPath());
    }
  }

  private ApiResponse createBucket(ApiRequest r) throws ApiException, IOException {
    Map<String, Object> body = Json.parseObject(r.bodyText());
    Object name = body.get("name");
    return ApiResponse.json(200,
        storage.createBucket(name == null ? null : String.valueOf(name)).toJson(r.baseUrl()));
  }

  private ApiResponse listBuckets(ApiRequest r) throws ApiException {
    requireMethod(r, "GET");
    String prefix = r.param("prefix") == null ? "" : r.param("prefix");
    List<Object> items = new ArrayList<>();
    for (Bucket b : storage.buckets()) {
      if (b.name().startsWith(prefix)) {
        items.add(b.toJson(r.baseUrl()));
      }
    }
    return ApiResponse.json(200, Map.of("kind", "storage#buckets", "items", items));
  }

  private static void requireMethod(ApiRequest r, String method) throws ApiException {
    if (!method.equals(r.method())) {
      throw new ApiException(405, "methodNotAllowed", r.method() + " " + r.rawPath());
    }
  }
}
