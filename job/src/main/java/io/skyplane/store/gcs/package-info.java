/**
 * {@code gs://bucket/prefix}: Google Cloud Storage through the JSON API (google-cloud-storage,
 * HTTP transport only). Open it with {@link io.skyplane.store.gcs.GcsStoreFactory}; options
 * {@code endpoint}, {@code project}, {@code anonymous}; credentials are application-default.
 *
 * <p>Multipart uploads: parts are temporary objects {@code .skyplane-tmp/<uploadId>/part-<nnnnn>}
 * (hidden from listings, the final key kept in their metadata), composed 32 at a time into the final
 * object, then deleted. Leftovers of crashed runs are found by {@code pending(prefix)} and removed by
 * {@code abort}. Give the service account delete permission on the bucket.
 */
package io.skyplane.store.gcs;
