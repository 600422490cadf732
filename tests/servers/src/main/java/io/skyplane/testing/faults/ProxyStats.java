package io.skyplane.testing.faults;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The proxy's live counters; {@link #snapshot} gives a {@link FaultStats}. */
final class ProxyStats {
  final LongAdder requests = new LongAdder();
  final LongAdder bytesUpstream = new LongAdder();
  final LongAdder bytesDownstream = new LongAdder();
  final LongAdder connections = new LongAdder();
  final LongAdder proxyErrors = new LongAdder();
  private final Map<FaultKind, LongAdder> faults = new EnumMap<>(FaultKind.class);
  private final ConcurrentHashMap<String, LongAdder> methods = new ConcurrentHashMap<>();

  ProxyStats() {
    for (FaultKind k : FaultKind.values()) {
      faults.put(k, new LongAdder());
    }
  }

  void request(String method, FaultKind decision) {
    requests.increment();
    faults.get(decision).increment();
    methods.computeIfAbsent(method, m -> new LongAdder()).increment();
  }

  void reset() {
    requests.reset();
    bytesUpstream.reset();
    bytesDownstream.reset();
    connections.reset();
    proxyErrors.reset();
    faults.values().forEach(LongAdder::reset);
    methods.clear();
  }

  FaultStats snapshot(FaultSpec spec) {
    Map<FaultKind, Long> f = new EnumMap<>(FaultKind.class);
    faults.forEach((k, v) -> f.put(k, v.sum()));
    Map<String, Long> m = new TreeMap<>();
    methods.forEach((k, v) -> m.put(k, v.sum()));
    return new FaultStats(requests.sum(), f, m, bytesUpstream.sum(), bytesDownstream.sum(),
        connections.sum(), proxyErrors.sum(), spec.toString());
  }
}
