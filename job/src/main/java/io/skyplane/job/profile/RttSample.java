package io.skyplane.job.profile;

import java.io.Serializable;
import javax.annotation.Nullable;

/**
 * One TCP connect from a sender to a data port of the destination region (sent to the client as an
 * accumulator value): its duration, or why it failed.
 *
 * @param subtask the sender's subtask index
 * @param nanos how long {@code connect()} took (SYN to SYN-ACK: one round trip); 0 when it failed
 * @param error why it failed, or null
 */
public record RttSample(int subtask, long nanos, @Nullable String error) implements Serializable {
  private static final long serialVersionUID = 1L;

  public boolean ok() {
    return error == null;
  }
}
