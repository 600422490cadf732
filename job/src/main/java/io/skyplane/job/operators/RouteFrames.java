package io.skyplane.job.operators;

import io.skyplane.job.model.Frame;
import io.skyplane.job.plan.Route;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends each frame on along its plan path: from {@code region} to the path's next region, through
 * that edge's side output. Payloads are forwarded untouched (a relay never decompresses). Counts
 * what each outgoing edge carries, as Flink metrics (group {@code edge=<src->dst>}: {@code bytes},
 * {@code chunks}, {@code bytesPerSecond}) and as accumulators the client reads at the end
 * ({@link #BYTES}, {@link #CHUNKS}, {@link #FIRST}, {@link #LAST} followed by the edge name).
 */
public final class RouteFrames extends ProcessFunction<Frame, Frame> {
  private static final long serialVersionUID = 1L;
  public static final String BYTES = "skyplane.edge.bytes ";
  public static final String CHUNKS = "skyplane.edge.chunks ";
  public static final String FIRST = "skyplane.edge.first-ms ";
  public static final String LAST = "skyplane.edge.last-ms ";


  private final Route route;
  private final String region;
  private transient Map<String, Edge> edges;

  public RouteFrames(Route route, String region) {
    this.route = route;
    this.region = region;
  }

  /** The side output carrying frames from {@code from} to {@code to}. */
  public static OutputTag<Frame> edge(String from, String to) {
    return new OutputTag<>(Route.slug(from) + "-to-" + Route.slug(to), TypeInformation.of(Frame.class));
  }

  @Override
  public void open(OpenContext openContext) {
    edges = new HashMap<>();
    for (String next : route.next(region)) {
      String name = Route.edgeName(region, next);
      MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("edge", name);
      Counter bytes = group.counter("bytes");
      group.meter("bytesPerSecond", new MeterView(bytes));
      Edge edge = new Edge(edge(region, next), bytes, group.counter("chunks"),
          new LongCounter(), new LongCounter(), new LongMinimum(), new LongMaximum());
      getRuntimeContext().addAccumulator(BYTES + name, edge.totalBytes);
      getRuntimeContext().addAccumulator(CHUNKS + name, edge.totalChunks);
      getRuntimeContext().addAccumulator(FIRST + name, edge.first);
      getRuntimeContext().addAccumulator(LAST + name, edge.last);
      edges.put(next, edge);
    }
  }

  @Override
  public void processElement(Frame frame, Context context, Collector<Frame> out) {
    List<Route.Hops> paths = route.paths();
    if (frame.path() >= paths.size()) {
      throw new IllegalStateException("frame of " + frame.chunkId() + " is on path " + frame.path()
          + " but the plan has " + paths.size() + " paths");
    }
    Edge edge = edges.get(paths.get(frame.path()).after(region));
    long now = System.currentTimeMillis();
    int size = frame.payload().length;
    edge.bytes.inc(size);
    edge.totalBytes.add(size);
    if (frame.lastInChunk()) {
      edge.chunks.inc();
      edge.totalChunks.add(1L);
    }
    edge.first.add(now);
    edge.last.add(now);
    context.output(edge.tag, frame);
  }

  private record Edge(OutputTag<Frame> tag, Counter bytes, Counter chunks, LongCounter totalBytes,
      LongCounter totalChunks, LongMinimum first, LongMaximum last) {}
}
