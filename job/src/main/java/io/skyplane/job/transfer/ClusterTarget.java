package io.skyplane.job.transfer;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestOptions;
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
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("cannot submit to " + uri + ": no job jar at " + jar
          + " (build it with: mvn -q -pl job -am package -DskipTests)");
    }
    return new ClusterTarget(uri, jar);
  }

  /** Whether the job runs on an embedded MiniCluster in this JVM. */
  public boolean embedded() {
    return rest == null;
  }

  /** The environment that runs a job with {@code conf} here. */
  StreamExecutionEnvironment environment(Configuration conf) {
    if (jar == null) {
      return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }
    return StreamExecutionEnvironment.createRemoteEnvironment(rest.getHost(), rest.getPort(), conf,
        List.of(jar.toAbsolutePath().toString()).toArray(String[]::new));
  }
}
