package io.skyplane.job.transfer;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import javax.annotation.Nullable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where a job runs: the embedded MiniCluster ({@code rest} null), the cluster {@code flink run}
 * submits to ({@code jar} null), or a running cluster reached through its REST API, to which the
 * client uploads {@code jar} ({@code --jobmanager}, {@code --deploy}).
 *
 * @param rest the JobManager's REST address; null for the embedded cluster
 * @param jar the job jar to submit to a remote cluster; null when the context submits it
 */
public record ClusterTarget(@Nullable URI rest, @Nullable Path jar) {
  /** The configuration key naming the SHA-256 of the job jar installed on a cluster's classpath. */
  public static final String JOB_JAR_SHA256 = "skyplane.job-jar.sha256";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterTarget.class);
  /** /config is a few hundred bytes; a server that sends more is not read further. */
  private static final int MAX_PROBE_BODY = 64 << 10;

  public ClusterTarget {
    if (jar != null) {
      requireNonNull(rest, "rest is null");
    }
  }

  /** What this client was started with: the embedded cluster, or {@code flink run}'s cluster. */
  public static ClusterTarget context() {
    ReadableConfig conf = StreamExecutionEnvironment.getExecutionEnvironment().getConfiguration();
    String target = conf.get(DeploymentOptions.TARGET);
    if (target == null || target.equals("local")) {
      return new ClusterTarget(null, null);
    }
    String address = conf.getOptional(RestOptions.ADDRESS).orElse(conf.get(JobManagerOptions.ADDRESS));
    return new ClusterTarget(
        URI.create("http://" + (address == null ? "localhost" : address) + ":" + conf.get(RestOptions.PORT)), null);
  }

  /**
   * A running cluster at {@code rest} (http://HOST:PORT) to which {@code jar} is uploaded;
   * IllegalArgumentException quoting the URL when it is not one, or naming the jar when it is missing.
   */
  public static ClusterTarget remote(String rest, Path jar) {
    URI uri = restUri(rest);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("cannot submit to " + uri + ": no job jar at " + jar
          + " (build it with: mvn -q -pl job -am package -DskipTests)");
    }
    return new ClusterTarget(uri, jar);
  }

  /**
   * Checks that a Flink REST API answers at {@code rest} ({@code --jobmanager}): {@code GET /config}
   * must return 200 with Flink's {@code flink-version} within {@code timeout} for the connection and
   * again for the answer. IllegalArgumentException naming the URL and the reason otherwise
   * (connection refused, unknown host, no answer in time, not a Flink REST API).
   */
  public static void checkRestApi(String rest, Duration timeout) {
    URI uri = restUri(rest);
    String problem = probe(uri, timeout);
    if (problem != null) {
      throw new IllegalArgumentException("--jobmanager " + uri + ": no Flink REST API there: " + problem);
    }
  }

  /** The REST address of {@code --jobmanager}: http://HOST:PORT; IllegalArgumentException quoting it otherwise. */
  private static URI restUri(String rest) {
    URI uri;
    try {
      uri = URI.create(rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--jobmanager must be a URL such as http://10.0.0.5:8081, got '" + rest + "'");
    }
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0
        || !(uri.getPath() == null || uri.getPath().isEmpty())) {
      throw new IllegalArgumentException("--jobmanager must be a URL such as http://10.0.0.5:8081, got '" + rest + "'");
    }
    return uri;
  }

  /** Whether the job runs on an embedded MiniCluster in this JVM. */
  public boolean embedded() {
    return rest == null;
  }

  /**
   * Whether jobs here run on a cluster this client starts itself ({@link EmbeddedCluster}): embedded,
   * and no context (a test's MiniCluster) provides the environment.
   */
  public boolean startsOwnCluster() {
    return embedded() && StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment;
  }

  /**
   * The environment that runs a job with {@code conf} here: the context's (flink run, a test's
   * MiniCluster), else a new embedded cluster ({@link EmbeddedCluster}), else the remote cluster.
   */
  StreamExecutionEnvironment environment(Configuration conf) {
    if (jar == null) {
      StreamExecutionEnvironment context = StreamExecutionEnvironment.getExecutionEnvironment(conf);
      return embedded() && context instanceof LocalStreamEnvironment ? EmbeddedCluster.environment(conf) : context;
    }
    String[] jars = jarInstalled() ? new String[0] : new String[] {jar.toAbsolutePath().toString()};
    return StreamExecutionEnvironment.createRemoteEnvironment(rest.getHost(), rest.getPort(), conf, jars);
  }

  /**
   * Whether the remote cluster runs this very job jar from its own classpath: its configuration
   * names the jar's SHA-256 in {@value #JOB_JAR_SHA256} (set by {@code jobmanager --job-jar} and
   * {@code taskmanager-bootstrap --job-jar}, which install the same jar on every process). Then a
   * job is submitted without the jar (43 MB less per run); otherwise, or when the check cannot be
   * made, the jar is uploaded with the job as before.
   */
  public boolean jarInstalled() {
    if (jar == null) {
      return false;
    }
    String installed = installedJarSha256(rest, Duration.ofSeconds(10));
    if (installed == null) {
      return false;
    }
    try {
      boolean same = installed.equalsIgnoreCase(sha256(jar));
      if (!same) {
        LOG.info("The cluster at {} has another job jar installed ({}...): uploading {}", rest,
            installed.substring(0, Math.min(16, installed.length())), jar);
      } else {
        LOG.info("The cluster at {} has this job jar installed: submitting without uploading it", rest);
      }
      return same;
    } catch (IOException e) {
      return false;
    }
  }

  /** The {@value #JOB_JAR_SHA256} of the JobManager's configuration, or null (absent, unreadable). */
  @Nullable
  static String installedJarSha256(URI rest, Duration timeout) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    HttpRequest request = HttpRequest.newBuilder(rest.resolve("/jobmanager/config")).timeout(timeout).GET().build();
    try {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        return null;
      }
      for (JsonNode entry : new ObjectMapper().readTree(response.body())) {
        if (JOB_JAR_SHA256.equals(entry.path("key").asText())) {
          String value = entry.path("value").asText();
          return value.matches("[0-9a-fA-F]{64}") ? value : null;
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Null when Flink answers {@code GET /config} at {@code rest}; else why not, in a few words. */
  @Nullable
  private static String probe(URI rest, Duration timeout) {
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    HttpRequest request = HttpRequest.newBuilder(rest.resolve("/config")).timeout(timeout).GET().build();
    try {
      HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      String body;
      try (InputStream in = response.body()) {
        body = new String(in.readNBytes(MAX_PROBE_BODY), StandardCharsets.UTF_8);
      }
      if (response.statusCode() != 200) {
        return "GET /config answered HTTP " + response.statusCode() + " (not a Flink REST API)";
      }
      if (!body.contains("\"flink-version\"")) {
        return "GET /config answered without a flink-version (not a Flink REST API)";
      }
      return null;
    } catch (HttpConnectTimeoutException e) {
      return "no connection within " + timeout.toSeconds() + " s";
    } catch (HttpTimeoutException e) {
      return "no answer within " + timeout.toSeconds() + " s";
    } catch (ConnectException e) {
      return hasCause(e, UnresolvedAddressException.class) ? "unknown host " + rest.getHost() : "connection refused";
    } catch (IOException e) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
