/**
 * {@code azure://account/container/prefix} and {@code https://account.blob.core.windows.net/...}:
 * Azure Blob Storage block blobs (azure-storage-blob over the JDK HTTP client). Open it with
 * {@link io.skyplane.store.azure.AzureStoreFactory}; credentials come from a connection string or
 * SAS token in an environment variable, or from {@code DefaultAzureCredential}.
 *
 * <p>Multipart uploads stage blocks and commit the block list once; see
 * {@code AzureMultipartWriter} for what happens to uncommitted blocks on abort.
 */
package io.skyplane.store.azure;
