package io.skyplane.planner.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.skyplane.planner.TransferPlan;

/** {@link TransferPlan} to and from JSON (region ids as strings, e.g. {@code "aws:us-east-1"}). */
public final class PlanJson {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private PlanJson() {}

  public static String write(TransferPlan plan) {
    try {
      return MAPPER.writeValueAsString(plan);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise plan", e);
    }
  }

  /** Reads a plan written by {@link #write}; an error quoting the parser's message otherwise. */
  public static TransferPlan read(String json) {
    try {
      return MAPPER.readValue(json, TransferPlan.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a transfer plan: " + e.getOriginalMessage(), e);
    }
  }
}
