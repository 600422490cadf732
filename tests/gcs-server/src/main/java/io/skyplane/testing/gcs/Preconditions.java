package io.skyplane.testing.gcs;

/**
 * Generation and metageneration preconditions from a request's query string. A
 * {@code ifGenerationMatch=0} means "the object must not exist".
 */
record Preconditions(
    Long ifGenerationMatch,
    Long ifGenerationNotMatch,
    Long ifMetagenerationMatch,
    Long ifMetagenerationNotMatch) {

  static final Preconditions NONE = new Preconditions(null, null, null, null);

  /** Reads {@code ifGenerationMatch} etc., or with {@code source} {@code ifSourceGeneration...}. */
  static Preconditions fromQuery(ApiRequest r, boolean source) throws ApiException {
    String p = source ? "ifSource" : "if";
    return new Preconditions(
        r.longParam(p + "GenerationMatch"),
        r.longParam(p + "GenerationNotMatch"),
        r.longParam(p + "MetagenerationMatch"),
        r.longParam(p + "MetagenerationNotMatch"));
  }

  /**
   * Checks the conditions against the current live object (null when there is none).
   *
   * @param read a read answers 304 when a not-match condition fails, a write 412
   */
  void check(ObjectRecord current, boolean read) throws ApiException {
    Long gen = current == null ? 0L : current.generation();
    if (ifGenerationMatch != null && !ifGenerationMatch.equals(gen)) {
      throw ApiException.preconditionFailed(
          "ifGenerationMatch=" + ifGenerationMatch + ", live generation " + gen);
    }
    if (ifGenerationNotMatch != null && ifGenerationNotMatch.equals(gen)) {
      throw notMatch(read, "ifGenerationNotMatch=" + ifGenerationNotMatch);
    }
    if (ifMetagenerationMatch != null
        && (current == null || current.metageneration() != ifMetagenerationMatch)) {
      throw ApiException.preconditionFailed("ifMetagenerationMatch=" + ifMetagenerationMatch);
    }
    if (ifMetagenerationNotMatch != null
        && current != null
        && current.metageneration() == ifMetagenerationNotMatch) {
      throw notMatch(read, "ifMetagenerationNotMatch=" + ifMetagenerationNotMatch);
    }
  }

  private static ApiException notMatch(boolean read, String what) {
    return read
        ? new ApiException(304, "notModified", "Not modified: " + what)
        : ApiException.preconditionFailed(what);
  }
}
