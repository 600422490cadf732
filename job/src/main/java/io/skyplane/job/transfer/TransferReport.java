package io.skyplane.job.transfer;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * The outcome of a transfer, as printed at the end and written by {@code --json}.
 *
 * @param status "succeeded" (every object arrived verified), "failed" (some objects did not), or
 *     "error" (the job itself failed; nothing was committed after the failure)
 * @param objects objects listed at the source
 * @param objectsCommitted objects committed at the destination, verified; after a job that did not
 *     end normally, at least those the destination holds as this run put them (same size, written
 *     since the run started), which the job may not have reported before it was lost
 * @param objectsFailed objects not written
 * @param bytes raw bytes of the committed objects
 * @param wireBytes bytes sent between source and destination operators, after compression
 * @param durationSeconds wall time from job start to its end
 * @param throughputBytesPerSecond bytes / durationSeconds
 * @param startupSeconds seconds from the job's start (after the listing) until the source read its
 *     first chunk (cluster start-up, job submission, scheduling)
 * @param processStartToFirstByteSeconds seconds from the start of this client process (the
 *     launcher's start under {@code bin/skyplane}, else the JVM's) until the source read its first
 *     chunk: all of the start-up a user waits for (JVM, options, listing, cluster, submission,
 *     scheduling). On a remote cluster the first read is stamped by the TaskManager's clock. Null
 *     when nothing was read
 * @param transferSeconds seconds from the first chunk read to the end
 * @param transferBytesPerSecond bytes / transferSeconds: the pipeline's rate without start-up
 * @param firstByteSeconds seconds from start until the destination wrote its first chunk
 * @param sourceDoneSeconds seconds from start until the source read its last chunk
 * @param movingSeconds seconds from the first chunk read to the last object committed (clocks of
 *     the source and destination TaskManagers): the time the data itself took, without start-up and
 *     without the job's end and the client's last poll; the plan's achieved rate is measured on it
 * @param uploadsAbortedAfterJob multipart uploads of this run that the client aborted after the job
 *     (a job that failed or was cancelled); 0 normally
 * @param leftovers what of this run (or of dead earlier runs) could not be removed from the
 *     destination, one line each; empty normally ({@code skyplane clean DST} removes them)
 * @param earlierRunsRemoved uploads and temporary objects of dead earlier runs into this
 *     destination that this run removed before it started
 * @param error why the job failed (status "error"), else empty
 * @param plan with a plan: what it predicted next to what each overlay edge carried; else null
 * @param restarts how often the job was restarted after a failure (a lost TaskManager); each
 *     restart copies again every object not yet reported committed
 * @param retries what the stores' SDKs tried again (throttled, server errors, network errors) and
 *     the read streams resumed where they broke, on the source and the destination side; zeros
 *     when the job did not end normally (its counts are lost with it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransferReport(
    String transferId,
    String source,
    String destination,
    String status,
    long objects,
    long objectsCommitted,
    long objectsFailed,
    long bytes,
    long wireBytes,
    double compressionRatio,
    double durationSeconds,
    double throughputBytesPerSecond,
    double startupSeconds,
    @Nullable Double processStartToFirstByteSeconds,
    double transferSeconds,
    double transferBytesPerSecond,
    double firstByteSeconds,
    double sourceDoneSeconds,
    double movingSeconds,
    Settings settings,
    List<Failure> failures,
    int uploadsAbortedAfterJob,
    List<String> leftovers,
    int earlierRunsRemoved,
    String error,
    @Nullable PlanReport plan,
    int restarts,
    Retries retries) {

  public TransferReport {
    requireNonNull(status, "status is null");
    failures = List.copyOf(failures);
    leftovers = List.copyOf(leftovers);
    requireNonNull(error, "error is null");
  }

  public boolean succeeded() {
    return status.equals("succeeded");
  }

  /**
   * The plan next to what the job did.
   *
   * @param formulation min-cost, max-throughput or direct
   * @param predictedGbps the plan's predicted throughput (on the cloud it was planned for)
   * @param achievedGbps raw bytes / moving seconds (first chunk read to last object committed)
   * @param achievedOverPredicted achievedGbps / predictedGbps
   * @param predictedUsdPerGb the plan's predicted cost per GB (egress and VMs)
   * @param parallelism subtasks per region
   * @param edges what each overlay edge carried
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PlanReport(
      String formulation,
      double predictedGbps,
      double achievedGbps,
      double achievedOverPredicted,
      double predictedUsdPerGb,
      Map<String, Integer> parallelism,
      List<EdgeReport> edges) {}

  /**
   * One overlay edge.
   *
   * @param edge "src->dst"
   * @param bytes bytes sent on the edge (compressed frames)
   * @param chunks chunks sent on the edge
   * @param share this edge's share of the bytes that left the source
   * @param plannedShare the share the plan's path weights give the edge
   * @param gbps bytes / the time between the edge's first and last frame
   * @param plannedGbps the plan's rate for the edge
   */
  public record EdgeReport(
      String edge, long bytes, long chunks, double share, double plannedShare, double gbps, double plannedGbps) {}

  /** The stores' retries on each side (see {@link io.skyplane.store.RetryCounts}). */
  public record Retries(io.skyplane.store.RetryCounts source, io.skyplane.store.RetryCounts destination) {
    public static final Retries NONE =
        new Retries(io.skyplane.store.RetryCounts.ZERO, io.skyplane.store.RetryCounts.ZERO);
  }

  /** One object that did not arrive, and why. */
  public record Failure(String key, String error) {}

  /** The settings the transfer ran with. */
  public record Settings(long chunkSize, String compression, int parallelism, String runtimeMode) {}
}
