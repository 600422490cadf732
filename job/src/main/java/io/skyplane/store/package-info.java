/**
 * The object-store contract every backend implements ({@link io.skyplane.store.ObjectStore} and
 * {@link io.skyplane.store.MultipartWriter}), its value types, and the error kinds. One package per
 * provider implements it ({@code s3}, {@code gcs}, {@code azure}, {@code local}, {@code hadoop});
 * implementations are package-private, only their factories are public. This package never
 * depends on the Flink job.
 */
package io.skyplane.store;
