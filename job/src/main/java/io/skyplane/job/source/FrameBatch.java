package io.skyplane.job.source;

import io.skyplane.job.model.Frame;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;

/** Frames of one or more splits handed from the fetcher thread to the task thread at once. */
final class FrameBatch implements RecordsWithSplitIds<Frame> {
  private final List<String> splitIds = new ArrayList<>();
  private final List<List<Frame>> frames = new ArrayList<>();
  private final Set<String> finished = new HashSet<>();
  private int splitCursor = -1;
  private int frameCursor;

  void add(String splitId, Frame frame) {
    if (splitIds.isEmpty() || !splitIds.get(splitIds.size() - 1).equals(splitId)) {
      splitIds.add(splitId);
      frames.add(new ArrayList<>());
    }
    frames.get(frames.size() - 1).add(frame);
  }

  void finish(String splitId) {
    finished.add(splitId);
  }

  boolean isEmpty() {
    return splitIds.isEmpty() && finished.isEmpty();
  }

  @Nullable
  @Override
  public String nextSplit() {
    splitCursor++;
    frameCursor = 0;
    return splitCursor < splitIds.size() ? splitIds.get(splitCursor) : null;
  }

  @Nullable
  @Override
  public Frame nextRecordFromSplit() {
    List<Frame> current = frames.get(splitCursor);
    return frameCursor < current.size() ? current.get(frameCursor++) : null;
  }

  @Override
  public Set<String> finishedSplits() {
    return finished;
  }
}
