/**
 * How the running job tells its client what it has done, without ever waiting for the client: a
 * report operator sums the committer's events into {@link io.skyplane.job.model.JobTotals}, sends
 * copies to its operator coordinator on the JobManager (which keeps only the newest), and leaves
 * the final totals in an accumulator. The client polls the coordinator for progress and reads the
 * accumulator when the job ends. A client that goes away (a killed {@code flink run}) leaves the job
 * running to its end: nothing in the job blocks on the client.
 */
package io.skyplane.job.report;
