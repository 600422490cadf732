package io.skyplane.job.testing;

import io.skyplane.testing.servers.AzureEndpoint;
import io.skyplane.testing.servers.GcsEndpoint;
import io.skyplane.testing.servers.S3Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * rclone (Debian's 1.60) as an independent checker of what skyplane wrote, configured for the
 * servers of a {@link StoreAdmin}: remote {@code s3} (static keys, path style), {@code gcs}
 * (anonymous, custom endpoint) and {@code azure} (an account SAS URL: rclone 1.60's
 * {@code use_emulator} does not work). Runs with {@code AWS_CA_BUNDLE} unset.
 */
public final class Rclone {
  private final StoreAdmin stores;
  private final Path config;
  private final Path logs;

  private Rclone(StoreAdmin stores, Path config, Path logs) {
    this.stores = stores;
    this.config = config;
    this.logs = logs;
  }

  /** Writes the config for every server the admin has into {@code dir}. */
  public static Rclone configure(StoreAdmin stores, Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    S3Endpoint s3 = stores.s3Endpoint();
    if (s3 != null) {
      lines.addAll(List.of("[s3]", "type = s3", "provider = Other", "endpoint = " + s3.endpoint(),
          "access_key_id = " + s3.accessKey(), "secret_access_key = " + s3.secretKey(),
          "region = " + s3.region(), "force_path_style = true", ""));
    }
    GcsEndpoint gcs = stores.gcsEndpoint();
    if (gcs != null) {
      lines.addAll(List.of("[gcs]", "type = google cloud storage", "anonymous = true",
          "project_number = " + gcs.projectId(), "endpoint = " + gcs.endpoint() + "/storage/v1/", ""));
    }
    AzureEndpoint azure = stores.azureEndpoint();
    if (azure != null) {
      lines.addAll(List.of("[azure]", "type = azureblob", "sas_url = " + stores.azureAccountSasUrl(), ""));
    }
    Files.createDirectories(dir);
    Path config = Files.writeString(dir.resolve("rclone.conf"), String.join("\n", lines));
    return new Rclone(stores, config, dir);
  }

  /** rclone's name of a location: a local path, or REMOTE:bucket/prefix. */
  public String remote(StoreKind kind, String bucket, String prefix) {
    String path = prefix.isEmpty() ? bucket : bucket + "/" + prefix;
    return switch (kind) {
      case LOCAL -> stores.uri(kind, bucket, prefix);
      case S3 -> "s3:" + path;
      case GS -> "gcs:" + path;
      case AZURE -> "azure:" + path;
    };
  }

  /** What an rclone run did. */
  public record Result(int exitCode, String output) {
    @Override
    public String toString() {
      return "rclone exit " + exitCode + "\n" + output;
    }
  }

  /** Runs {@code rclone --config CONF ARGS...} (at most 5 minutes) and returns its exit code and output. */
  public Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("rclone", "--config", config.toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(logs, "rclone-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().remove("AWS_CA_BUNDLE");
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IOException("rclone " + String.join(" ", args) + " did not finish in 5 minutes");
    }
    return new Result(process.exitValue(), Files.readString(log));
  }
}
