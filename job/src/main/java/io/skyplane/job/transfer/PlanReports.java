package io.skyplane.job.transfer;

import io.skyplane.job.operators.RouteFrames;
import io.skyplane.job.plan.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.api.common.JobExecutionResult;

/** The report's plan section: the plan's figures next to what each edge carried (accumulators). */
final class PlanReports {
  private PlanReports() {}

  static TransferReport.PlanReport of(
      Route route, @Nullable JobExecutionResult result, long committedBytes, double transferSeconds) {
    Map<String, Object> accumulators = result == null ? Map.of() : result.getAllAccumulatorResults();
    Map<String, Double> shares = route.edgeShares();
    long sourceBytes = 0;
    for (String next : route.next(route.source())) {
      sourceBytes += number(accumulators.get(RouteFrames.BYTES + Route.edgeName(route.source(), next)));
    }
    List<TransferReport.EdgeReport> edges = new ArrayList<>();
    for (String edge : route.edges()) {
      long bytes = number(accumulators.get(RouteFrames.BYTES + edge));
      long chunks = number(accumulators.get(RouteFrames.CHUNKS + edge));
      long first = number(accumulators.get(RouteFrames.FIRST + edge));
      long last = number(accumulators.get(RouteFrames.LAST + edge));
      double seconds = bytes == 0 ? 0 : Math.max(0.001, (last - first) / 1000.0);
      edges.add(new TransferReport.EdgeReport(edge, bytes, chunks,
          sourceBytes == 0 ? 0 : (double) bytes / sourceBytes, shares.getOrDefault(edge, 0.0),
          seconds == 0 ? 0 : bytes * 8 / seconds / 1e9, route.plannedGbps().getOrDefault(edge, 0.0)));
    }
    double achieved = transferSeconds <= 0 ? 0 : committedBytes * 8 / transferSeconds / 1e9;
    return new TransferReport.PlanReport(route.formulation(), route.predictedGbps(), achieved,
        route.predictedGbps() <= 0 ? 0 : achieved / route.predictedGbps(), route.predictedUsdPerGb(),
        route.parallelism(), edges);
  }

  private static long number(@Nullable Object value) {
    return value instanceof Number n ? n.longValue() : 0;
  }
}
