package io.skyplane.testing.faults;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The fault proxy's counters since it started or since the last reset ({@code GET /stats}).
 *
 * @param requests requests seen (heads read)
 * @param faults requests per decision, every {@link FaultKind} present ({@code NONE} = untouched)
 * @param methods requests per method
 * @param bytesUpstream request body bytes forwarded to the store
 * @param bytesDownstream response body bytes forwarded to clients
 * @param connections client connections accepted
 * @param proxyErrors answers the proxy made up because the store could not be reached or
 *     answered garbage (502) or the request was malformed (400); 0 in a healthy run
 * @param spec the fault spec in force
 */
public record FaultStats(long requests, Map<FaultKind, Long> faults, Map<String, Long> methods,
    long bytesUpstream, long bytesDownstream, long connections, long proxyErrors, String spec) {

  public FaultStats {
    Map<FaultKind, Long> all = new EnumMap<>(FaultKind.class);
    for (FaultKind k : FaultKind.values()) {
      all.put(k, 0L);
    }
    all.putAll(Objects.requireNonNull(faults, "faults is null"));
    faults = java.util.Collections.unmodifiableMap(all);
    methods = java.util.Collections.unmodifiableMap(new TreeMap<>(
        Objects.requireNonNull(methods, "methods is null")));
    Objects.requireNonNull(spec, "spec is null");
  }

  /** Requests that got {@code kind}. */
  public long count(FaultKind kind) {
    return faults.get(kind);
  }

  /** Requests that got any fault (everything but {@link FaultKind#NONE}). */
  public long injected() {
    return requests(FaultKind.THROTTLE, FaultKind.ERROR, FaultKind.RESET, FaultKind.STALL,
        FaultKind.DRIP, FaultKind.DOWN);
  }

  /** Requests with this method (upper case). */
  public long method(String method) {
    return methods.getOrDefault(method, 0L);
  }

  /** The JSON form served at {@code GET /stats}. */
  public String toJson() {
    StringBuilder b = new StringBuilder("{\"requests\":").append(requests).append(",\"faults\":{");
    String sep = "";
    for (Map.Entry<FaultKind, Long> e : faults.entrySet()) {
      b.append(sep).append('"').append(e.getKey().key()).append("\":").append(e.getValue());
      sep = ",";
    }
    b.append("},\"methods\":{");
    sep = "";
    for (Map.Entry<String, Long> e : methods.entrySet()) {
      b.append(sep).append(MiniJson.quote(e.getKey())).append(':').append(e.getValue());
      sep = ",";
    }
    return b.append("},\"bytesUpstream\":").append(bytesUpstream)
        .append(",\"bytesDownstream\":").append(bytesDownstream)
        .append(",\"connections\":").append(connections)
        .append(",\"proxyErrors\":").append(proxyErrors)
        .append(",\"spec\":").append(MiniJson.quote(spec)).append('}').toString();
  }

  /** Reads the JSON of {@link #toJson()}; fails on anything else. */
  @SuppressWarnings("unchecked")
  public static FaultStats parse(String json) {
    Map<String, Object> m = (Map<String, Object>) MiniJson.parse(json);
    Map<FaultKind, Long> faults = new EnumMap<>(FaultKind.class);
    ((Map<String, Object>) m.get("faults")).forEach((k, v) -> faults.put(
        FaultKind.valueOf(k.toUpperCase(java.util.Locale.ROOT)), (Long) v));
    Map<String, Long> methods = new LinkedHashMap<>();
    ((Map<String, Object>) m.get("methods")).forEach((k, v) -> methods.put(k, (Long) v));
    return new FaultStats((Long) m.get("requests"), faults, methods, (Long) m.get("bytesUpstream"),
        (Long) m.get("bytesDownstream"), (Long) m.get("connections"),
        (Long) m.get("proxyErrors"), (String) m.get("spec"));
  }

  private long requests(FaultKind... kinds) {
    long n = 0;
    for (FaultKind k : kinds) {
      n += faults.get(k);
    }
    return n;
  }
}
