package io.skyplane.testing.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts S3Proxy, Azurite or the GCS server as separate processes, each on a free port with its
 * own data folder, optionally inside a network namespace. Returns once the server listens.
 */
public final class LocalServers {
  /** S3Proxy's static credentials. */
  public static final String S3_ACCESS_KEY = "local-identity";
  public static final String S3_SECRET_KEY = "local-credential";
  public static final String S3_REGION = "us-east-1";
  public static final String GCS_PROJECT = "local-project";

  private static final Pattern S3_READY = Pattern.compile("Started \\S*ServerConnector");
  private static final Pattern AZURITE_READY = Pattern.compile("successfully listens on");
  private static final Pattern GCS_READY = Pattern.compile("GCS_ENDPOINT=(http://\\S+)");
  private static final String DEFAULT_S3PROXY_HEAP = "512m";

  private LocalServers() {}

  /** S3Proxy 4.1.0, filesystem backend, SigV2/V4 auth with {@link #S3_ACCESS_KEY}. */
  public static RunningServer<S3Endpoint> s3(ServerOptions o) {
    return ProcessLauncher.launch("s3proxy", o, S3_READY, (port, data) -> {
      Path props = data.resolveSibling(data.getFileName() + ".properties");
      Files.createDirectories(data.resolve("blobs"));
      String endpoint = "http://" + o.urlHost() + ":" + port;
      Files.writeString(props, String.join("\n",
          "s3proxy.endpoint=http://" + bindHost(o) + ":" + port,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + S3_ACCESS_KEY,
          "s3proxy.credential=" + S3_SECRET_KEY,
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + data.resolve("blobs"),
          "jclouds.region=" + S3_REGION,
          ""));
      List<String> cmd = new ArrayList<>(List.of(Artifacts.javaExecutable(),
          "-Xmx" + (o.heap() == null ? DEFAULT_S3PROXY_HEAP : o.heap()),
          "-jar", Artifacts.s3proxyJar().toString(), "--properties", props.toString()));
      return new ProcessLauncher.Plan<>(cmd, m -> new S3Endpoint(URI.create(endpoint),
          S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION));
    });
  }

  /** Azurite 3.37.0, blob service only, telemetry off, dev account {@code devstoreaccount1}. */
  public static RunningServer<AzureEndpoint> azurite(ServerOptions o) {
    Path main = Artifacts.azuriteMain();
    return ProcessLauncher.launch("azurite", o, AZURITE_READY, (port, data) -> {
      List<String> cmd = List.of(node(), main.toString(),
          "--blobHost", bindHost(o), "--blobPort", Integer.toString(port),
          "--location", data.toString(), "--disableTelemetry", "--skipApiVersionCheck",
          "--loose", "--silent");
      URI endpoint = URI.create("http://" + o.urlHost() + ":" + port + "/"
          + AzureEndpoint.DEV_ACCOUNT);
      return new ProcessLauncher.Plan<>(cmd,
          m -> new AzureEndpoint(endpoint, AzureEndpoint.DEV_ACCOUNT, AzureEndpoint.DEV_KEY));
    });
  }

  /**
   * The project's GCS JSON-API server ({@code io.skyplane.testing.gcs.GcsServer}), with its access
   * log (one line per request) in {@link RunningServer#log()}.
   */
  public static RunningServer<GcsEndpoint> gcs(ServerOptions o) {
    return ProcessLauncher.launch("gcs", o, GCS_READY, (port, data) -> {
      List<String> cmd = new ArrayList<>(List.of(Artifacts.javaExecutable()));
      if (o.heap() != null) {
        cmd.add("-Xmx" + o.heap());
      }
      cmd.addAll(List.of("-cp", Artifacts.gcsServerClasspath(),
          "io.skyplane.testing.gcs.GcsServer", "--host", bindHost(o),
          "--port", Integer.toString(port), "--data", data.toString(), "--access-log"));
      return new ProcessLauncher.Plan<>(cmd, (Matcher m) -> {
        String url = m.group(1);
        URI announced = URI.create(url);
        URI endpoint = URI.create("http://" + o.urlHost() + ":" + announced.getPort());
        return new GcsEndpoint(endpoint, GCS_PROJECT);
      });
    });
  }

  private static String bindHost(ServerOptions o) {
    return o.bindAddress();
  }

  private static String node() {
    String n = System.getenv("SKYPLANE_NODE");
    return n == null || n.isBlank() ? "node" : n;
  }

  static Path createTempRoot(String name) {
    try {
      return Files.createTempDirectory("skyplane-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
