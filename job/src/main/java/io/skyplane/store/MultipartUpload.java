package io.skyplane.store;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * A started multipart upload, passed between workers.
 *
 * @param key the object's key
 * @param uploadId the store's id of the upload (an S3 upload id; a name prefix for the temporary
 *     parts of stores without native multipart uploads)
 * @param startedMillis when the upload was created (epoch millis), to tell uploads of a run apart
 */
public record MultipartUpload(String key, String uploadId, long startedMillis) implements Serializable {
  public MultipartUpload {
    requireNonNull(key, "key is null");
    requireNonNull(uploadId, "uploadId is null");
  }
}
