package io.skyplane.job.operators;

/**
 * Committer state for one object: which chunks have reported, their checksums, and the first
 * failure. A Flink POJO (public fields, no-arg constructor) so that its state never goes through Kryo.
 */
public class ObjectAssembly {
  public int chunkCount;
  public int reported;
  public boolean[] seen;
  public int[] crcs;
  public long[] lengths;
  public long wireBytes;
  public long firstReadAtMillis;
  public String error;
  /** The multipart upload the chunks were uploaded to, or "". */
  public String uploadId;
  /** When that upload was started (epoch millis), for the idempotent complete's check. */
  public long uploadStartedMillis;
  /** Per chunk: what completing the upload needs for that part. */
  public String[] tokens;

  public ObjectAssembly() {}

  static ObjectAssembly create(int chunkCount, long readAtMillis) {
    ObjectAssembly assembly = new ObjectAssembly();
    assembly.chunkCount = chunkCount;
    assembly.seen = new boolean[chunkCount];
    assembly.crcs = new int[chunkCount];
    assembly.lengths = new long[chunkCount];
    assembly.firstReadAtMillis = readAtMillis;
    assembly.error = "";
    assembly.uploadId = "";
    assembly.tokens = new String[chunkCount];
    return assembly;
  }
}
