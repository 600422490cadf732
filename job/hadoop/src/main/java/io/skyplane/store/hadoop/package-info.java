/**
 * Any Hadoop {@code FileSystem} as an {@link io.skyplane.store.ObjectStore}: S3A, ABFS, HDFS,
 * gcs-connector, ... ({@link io.skyplane.store.hadoop.HadoopStoreFactory}). Hadoop and its
 * connectors are not in skyplane-job.jar: this module's jar and {@code target/hadoop-lib} are added
 * to the classpath by the user. Never depends on the Flink job.
 */
package io.skyplane.store.hadoop;
