package io.skyplane.e2e;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.testing.Rclone;
import io.skyplane.job.testing.StoreAdmin;
import io.skyplane.job.testing.StoreKind;
import io.skyplane.job.testing.Trees;
import io.skyplane.testing.servers.AzureEndpoint;
import io.skyplane.testing.servers.GcsEndpoint;
import io.skyplane.testing.servers.S3Endpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stores of an IT (local directories and the three local servers, seen through
 * {@link StoreAdmin} and rclone), and {@code bin/skyplane} run against them as its own process with
 * the credentials in its environment and the servers' endpoints in a store config file.
 */
final class StoreRig implements AutoCloseable {
  private static final long MIB = 1L << 20;

  final StoreAdmin stores;
  final Rclone rclone;
  final Path tmp;
  final Path storeConfig;
  final Path logs;
  private final Map<String, String> env = new HashMap<>();
  private final AtomicInteger names = new AtomicInteger();
  /** Clients started in the background: those still running at {@link #close} are killed (a test failed). */
  private final List<Proc.Started> started = new ArrayList<>();

  /**
   * @param tmp a temporary directory for the local stores, sources and rclone's config
   * @param name the IT's name: the clients' logs and output go to {@code tests/e2e/target/e2e-logs/NAME},
   *     kept after the run as evidence
   */
  StoreRig(Path tmp, String name, S3Endpoint s3, GcsEndpoint gcs, AzureEndpoint azure) throws IOException {
    this.tmp = requireNonNull(tmp, "tmp is null");
    this.logs = Proc.ROOT.resolve("tests/e2e/target/e2e-logs").resolve(name);
    stores = new StoreAdmin(tmp.resolve("local"), s3, gcs, azure);
    rclone = Rclone.configure(stores, tmp.resolve("rclone"));
    storeConfig = stores.writeStoreConfig(tmp.resolve("stores.properties"), Map.of());
    env.put("AWS_ACCESS_KEY_ID", s3.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
    env.put("AWS_REGION", s3.region());
    env.put(StoreAdmin.AZURE_CONNECTION_VARIABLE, azure.connectionString());
    env.put("SKYPLANE_LOG_DIR", logs.toString());
    env.put("SKYPLANE_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
  }

  /**
   * A source tree of {@code big} random objects of {@code bigMib} MiB (several 5 MiB parts each)
   * and 24 small ones (1-47 KiB), under {@code tmp/name}.
   */
  Path source(String name, int big, int bigMib) throws IOException {
    Path root = tmp.resolve(name);
    for (int i = 0; i < big; i++) {
      Trees.random(root.resolve("big/b" + i + ".bin"), bigMib * MIB + i, 100 + i);
    }
    for (int i = 0; i < 24; i++) {
      Trees.random(root.resolve("small/s" + i + ".bin"), 1024 + 2048L * i, 200 + i);
    }
    return root;
  }

  /** A new, empty destination of that kind: a fresh bucket (directory), prefix {@code dst/} (local: the directory). */
  Residue destination(StoreKind kind, String name) throws IOException {
    String bucket = name + "-" + kind.label() + "-" + names.incrementAndGet();
    stores.createBucket(kind, bucket);
    return new Residue(kind, bucket, kind == StoreKind.LOCAL ? "" : "dst/");
  }

  /** The destination as skyplane takes it. */
  String uri(Residue destination) {
    return destination.kind() == StoreKind.LOCAL
        ? stores.local(destination.bucket()).toString()
        : stores.uri(destination.kind(), destination.bucket(), destination.prefix());
  }

  /** {@code skyplane ARGS --store-config FILE} run to its end (5 minutes at most). */
  Proc skyplane(List<String> args) throws IOException, InterruptedException {
    return Proc.run(tmp, env, Proc.skyplane(withConfig(args)));
  }

  /**
   * {@code skyplane ARGS --store-config FILE} started in the background, SIGINT/SIGTERM at their
   * defaults; its output goes to {@code NAME.out/.err} and its log to {@code NAME/} in {@link #logs}.
   */
  Proc.Started start(String name, List<String> args) throws IOException {
    Map<String, String> own = new HashMap<>(env);
    own.put("SKYPLANE_LOG_DIR", logs.resolve(name).toString());
    Proc.Started process = Proc.start(tmp, own, Proc.withDefaultSignals(Proc.skyplane(withConfig(args))), logs, name);
    started.add(process);
    return process;
  }

  private List<String> withConfig(List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--store-config", storeConfig.toString()));
    return all;
  }

  /**
   * {@code skyplane cp -r SOURCE DST} with 5 MiB chunks, 2 writers, no compression (random data),
   * no progress lines, started in the background.
   */
  Proc.Started startCopy(String name, Path source, Residue destination, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("cp", "-r", source.toString(), uri(destination),
        "--chunk-size", "5MiB", "-p", "2", "--compression", "none", "-q"));
    args.addAll(List.of(extra));
    return start(name, args);
  }

  /**
   * Waits until the copy is mid-way: uploads of it are in flight at the destination (see
   * {@link Residue#inFlight}); the evidence. Fails when the copy ends first or after {@code max}.
   */
  List<String> awaitInFlight(Proc.Started copy, Residue destination, Duration max)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!copy.alive()) {
        throw new AssertionError("the copy ended (exit " + copy.process().exitValue()
            + ") before anything was seen in flight at " + uri(destination) + "\n" + copy.output());
      }
      List<String> evidence = destination.inFlight(destination.look(stores));
      if (!evidence.isEmpty()) {
        System.out.printf("%s: in flight after %d ms: %s%n", uri(destination),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - copy.startNanos()),
            evidence.subList(0, Math.min(3, evidence.size())));
        return evidence;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("nothing in flight at " + uri(destination) + " after " + max + "\n" + copy.output());
  }

  @Override
  public void close() throws Exception {
    for (Proc.Started process : started) {
      if (process.alive()) {
        process.process().destroyForcibly().waitFor();
      }
    }
    stores.close();
  }
}
