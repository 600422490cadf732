package io.skyplane.job.scratch;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names in the reserved area: run ids, run prefixes, leases and journals. */
public final class Scratch {
  /** The reserved area at the root of a destination store. */
  public static final String ROOT = ".skyplane-tmp/";
  private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{12}");
  /** A key of a run's area: the run id, then '/' or '-' (GCS part objects of the run's uploads). */
  private static final Pattern RUN_KEY = Pattern.compile(Pattern.quote(ROOT) + "([0-9a-f]{12})[/-].*", Pattern.DOTALL);
  private static final SecureRandom RANDOM = new SecureRandom();

  private Scratch() {}

  /** A new run id: 12 random hex digits. */
  public static String newRunId() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Whether {@code id} is a run id (12 lower-case hex digits). */
  public static boolean isRunId(String id) {
    return RUN_ID.matcher(id).matches();
  }

  /** Whether a key (relative to the store's root) lies in some run's area. */
  public static boolean isRunKey(String key) {
    return RUN_KEY.matcher(key).matches();
  }

  /** The run whose area holds {@code key}, if any. */
  public static Optional<String> runOf(String key) {
    Matcher m = RUN_KEY.matcher(key);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Every key of the run's area starts with this (no trailing '/': GCS parts use {@code <run>-...}). */
  public static String prefix(String runId) {
    return ROOT + check(runId);
  }

  /** The run's lease. */
  public static String lease(String runId) {
    return prefix(runId) + "/lease.json";
  }

  /**
   * The run's journal of uploads: batch {@code seq} of the journal {@code writer} (one per attempt
   * of the job: a restart writes a journal of its own beside the earlier one), the intent (keys about
   * to get an upload).
   */
  static String intent(String runId, String writer, long seq) {
    return batch(runId, writer, seq) + ".intent";
  }

  /** The run's journal of uploads: batch {@code seq} of {@code writer}, the uploads started. */
  static String uploads(String runId, String writer, long seq) {
    return batch(runId, writer, seq) + ".uploads";
  }

  private static String batch(String runId, String writer, long seq) {
    return prefix(runId) + "/journal/" + writer + "-" + String.format(Locale.ROOT, "%08d", seq);
  }

  static String journalPrefix(String runId) {
    return prefix(runId) + "/journal/";
  }

  /** The local directory of a run's area under the destination root. */
  public static Path localRun(Path root, String runId) {
    return root.resolve(ROOT).resolve(check(runId));
  }

  private static String check(String runId) {
    if (!isRunId(runId)) {
      throw new IllegalArgumentException("not a run id (12 hex digits): '" + runId + "'");
    }
    return runId;
  }
}
