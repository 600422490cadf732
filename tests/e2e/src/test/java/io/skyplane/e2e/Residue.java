package io.skyplane.e2e;

import static java.util.Objects.requireNonNull;

import com.azure.storage.blob.models.BlobStorageException;
import io.skyplane.job.testing.StoreAdmin;
import io.skyplane.job.testing.StoreKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * What a transfer left at a destination, seen through the providers' own SDKs ({@link StoreAdmin},
 * never skyplane's store code): the run areas ({@code .skyplane-tmp/...}), open S3 multipart
 * uploads, uncommitted Azure blocks, and every object that is not a whole copy of a source object.
 * A destination is a bucket (for local files a directory, the "bucket" of StoreAdmin) and a prefix
 * in it; the run areas are at the bucket's root.
 *
 * @param kind the store
 * @param bucket the bucket, container or (local) directory name of StoreAdmin
 * @param prefix where the copy goes in the bucket ("" or ending in '/')
 */
record Residue(StoreKind kind, String bucket, String prefix) {
  static final String AREA = ".skyplane-tmp/";

  Residue {
    requireNonNull(kind, "kind is null");
    requireNonNull(bucket, "bucket is null");
    requireNonNull(prefix, "prefix is null");
  }

  /**
   * One look at the destination: every object of the bucket with its size (Azure blobs that have
   * only uncommitted blocks included), open uploads and their uploaded parts, uncommitted blocks,
   * and for local files whether the area's directory exists.
   */
  record Look(Map<String, Long> objects, List<String> openUploads, List<String> uploadedParts,
      List<String> uncommittedBlocks, boolean areaDirectory) {
    Look {
      objects = Map.copyOf(objects);
      openUploads = List.copyOf(openUploads);
      uploadedParts = List.copyOf(uploadedParts);
      uncommittedBlocks = List.copyOf(uncommittedBlocks);
    }

    /** Keys in the run areas. */
    List<String> areaKeys() {
      return objects.keySet().stream().filter(k -> k.startsWith(AREA)).sorted().toList();
    }
  }

  Look look(StoreAdmin stores) throws IOException {
    Map<String, Long> objects = stores.list(kind, bucket, "");
    List<String> uploads = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    if (kind == StoreKind.S3) {
      for (MultipartUpload upload : stores.s3().listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads()) {
        uploads.add(upload.key() + " (" + upload.uploadId() + ")");
        try {
          for (Part part : stores.s3().listPartsPaginator(b -> b.bucket(bucket).key(upload.key())
              .uploadId(upload.uploadId())).parts()) {
            parts.add(upload.key() + " (" + upload.uploadId() + ") part " + part.partNumber());
          }
        } catch (NoSuchUploadException e) {
          // completed or aborted since it was listed
        }
      }
    }
    List<String> blocks = kind == StoreKind.AZURE ? uncommittedBlocks(stores) : List.of();
    boolean directory = kind == StoreKind.LOCAL && Files.exists(stores.local(bucket).resolve(AREA));
    return new Look(objects, uploads, parts, blocks, directory);
  }

  /** Azure's uncommitted blocks; looked at again when a blob listed went away before its blocks were. */
  private List<String> uncommittedBlocks(StoreAdmin stores) {
    for (int attempt = 1; ; attempt++) {
      try {
        return stores.uncommittedAzureBlocks(bucket);
      } catch (BlobStorageException e) {
        if (e.getStatusCode() != 404 || attempt == 3) {
          throw e;
        }
      }
    }
  }

  /**
   * Uploads in flight that {@code look} shows: local temporary files ({@code .skyplane-tmp/<run>-<id>.put}
   * and {@code .skyplane-tmp/<run>-<id>/data}),
   * parts uploaded to open S3 multipart uploads (writers at work, not only the enumerator that
   * starts the uploads), GCS part objects ({@code .skyplane-tmp/.../part-NNNNN}), uncommitted
   * Azure blocks.
   */
  List<String> inFlight(Look look) {
    return switch (kind) {
      case LOCAL -> look.areaKeys().stream()
          .filter(k -> k.matches("\\.skyplane-tmp/[0-9a-f]{12}-[0-9a-f]{32}(\\.put|/data)")).toList();
      case S3 -> look.uploadedParts();
      case GS -> look.areaKeys().stream().filter(k -> k.matches("\\.skyplane-tmp/.+/part-\\d+")).toList();
      case AZURE -> look.uncommittedBlocks();
    };
  }

  /**
   * What {@code look} shows that a clean destination would not hold, one line each: anything in a
   * run area (the local area's directory too), an open upload, an uncommitted block, and every
   * object that is not a source object of the source's size under the prefix.
   */
  List<String> leftovers(Look look, Map<String, Long> sourceSizes) {
    List<String> found = new ArrayList<>();
    if (look.areaDirectory() && look.areaKeys().isEmpty()) {
      found.add("directory " + AREA);
    }
    for (Map.Entry<String, Long> object : new TreeMap<>(look.objects()).entrySet()) {
      String key = object.getKey();
      if (key.startsWith(AREA)) {
        found.add("area " + key + " (" + object.getValue() + " B)");
      } else if (!key.startsWith(prefix)) {
        found.add("outside the prefix " + key + " (" + object.getValue() + " B)");
      } else {
        Long size = sourceSizes.get(key.substring(prefix.length()));
        if (size == null || !size.equals(object.getValue())) {
          found.add("not a source object " + key + " (" + object.getValue() + " B, source "
              + (size == null ? "has none" : size + " B") + ")");
        }
      }
    }
    look.openUploads().forEach(u -> found.add("open upload " + u));
    look.uncommittedBlocks().forEach(b -> found.add("uncommitted block " + b));
    return found;
  }

  /**
   * Looks every 250 ms (at most {@code maxMillis}) until the destination has shown no leftovers for
   * a second, writing each change into {@code timeline} (milliseconds since {@code sinceNanos}),
   * and what appeared since the previous look as {@code APPEARED [...]}; the last leftovers seen
   * (empty when it became and stayed clean).
   */
  List<String> awaitClean(StoreAdmin stores, Map<String, Long> sourceSizes, long sinceNanos, long maxMillis,
      List<String> timeline) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
    List<String> last = null;
    long cleanSince = -1;
    while (true) {
      List<String> now = leftovers(look(stores), sourceSizes);
      long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
      if (!now.equals(last)) {
        timeline.add("+" + at + " ms: " + (now.isEmpty() ? "clean" : now));
        if (last != null) {
          List<String> appeared = new ArrayList<>(now);
          appeared.removeAll(last);
          if (!appeared.isEmpty()) {
            timeline.add("+" + at + " ms: APPEARED " + appeared);
          }
        }
        last = now;
      }
      if (now.isEmpty()) {
        cleanSince = cleanSince < 0 ? System.nanoTime() : cleanSince;
        if (System.nanoTime() - cleanSince >= TimeUnit.SECONDS.toNanos(1)) {
          return now;
        }
      } else {
        cleanSince = -1;
      }
      if (System.nanoTime() > deadline) {
        return now;
      }
      Thread.sleep(250);
    }
  }

  /** Relative path -> size of every regular file under {@code root} (a source tree). */
  static Map<String, Long> sizes(Path root) throws IOException {
    Map<String, Long> sizes = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        sizes.put(root.relativize(file).toString().replace(root.getFileSystem().getSeparator(), "/"),
            Files.size(file));
      }
    }
    return sizes;
  }
}
