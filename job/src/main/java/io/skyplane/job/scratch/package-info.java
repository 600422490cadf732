/**
 * skyplane's reserved area in a destination, {@code .skyplane-tmp/} at the root of the destination
 * store (a bucket's root; for local files the destination directory, or a single file's directory).
 * Each run owns {@code .skyplane-tmp/<run>/} (and names starting {@code .skyplane-tmp/<run>-}),
 * where {@code <run>} is the run's 12-hex-digit id: its lease (who runs it, a heartbeat), the
 * journal of the multipart uploads it started, local temporary files and GCS part objects. A run
 * removes its own area when it ends; a later run, or {@code skyplane clean}, removes the area of a
 * run whose lease shows it is dead, and never touches a live one's.
 */
package io.skyplane.job.scratch;
