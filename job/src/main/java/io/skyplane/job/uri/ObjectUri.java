package io.skyplane.job.uri;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import io.skyplane.store.ObjectStores;

/**
 * A location a transfer reads from or writes to, parsed once and validated. Plain paths and
 * {@code file://} URIs are local files; {@code s3://BUCKET/prefix}, {@code gs://BUCKET/prefix} and
 * {@code azure://ACCOUNT/CONTAINER/prefix} (or {@code https://ACCOUNT.blob.core.windows.net/...})
 * name object stores; any other {@code SCHEME://AUTHORITY/prefix} is accepted when a store factory on
 * the classpath serves the scheme (the Hadoop adapter's s3a, abfs, hdfs, hadoop:gs, ...).
 *
 * @param scheme lower-case scheme: file, s3, gs, azure, or a served scheme
 * @param authority bucket or account (Azure) or Hadoop authority; empty for files
 * @param path absolute path for files; for stores the rest after the authority (no leading '/'):
 *     the key prefix, for Azure "CONTAINER/prefix"
 * @param text the location as the user wrote it, for messages
 */
public record ObjectUri(String scheme, String authority, String path, String text)
    implements Serializable {
  private static final Set<String> OBJECT_STORE_SCHEMES = Set.of("s3", "gs", "azure");
  private static final Set<String> HADOOP_SCHEMES =
      Set.of("s3a", "abfs", "abfss", "hdfs", "webhdfs", "swebhdfs", "viewfs", "wasb", "wasbs", "o3fs", "ofs");
  private static final String AZURE_HOST_SUFFIX = ".blob.core.windows.net";

  public ObjectUri {
    requireNonNull(scheme, "scheme is null");
    requireNonNull(authority, "authority is null");
    requireNonNull(path, "path is null");
    requireNonNull(text, "text is null");
  }

  /** Parses a location; throws {@link IllegalArgumentException} quoting the text when it is invalid. */
  public static ObjectUri parse(String text) {
    requireNonNull(text, "text is null");
    if (text.isBlank()) {
      throw new IllegalArgumentException("empty location");
    }
    int colon = text.indexOf("://");
    if (colon < 0) {
      if (text.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !text.matches("^[A-Za-z]:[\\\\/].*")) {
        throw new IllegalArgumentException(
            "unknown location '" + text + "': expected a path or SCHEME://... (file, s3, gs, azure)");
      }
      return local(text, Path.of(text));
    }
    String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      try {
        URI uri = new URI(text);
        if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()) {
          throw new IllegalArgumentException(
              "invalid location '" + text + "': file URIs must be file:///absolute/path");
        }
        return local(text, Path.of(uri));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("invalid location '" + text + "': " + e.getReason());
      }
    }
    String rest = text.substring(colon + 3);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    if (scheme.equals("https") && authority.toLowerCase(Locale.ROOT).endsWith(AZURE_HOST_SUFFIX)) {
      // https://ACCOUNT.blob.core.windows.net/CONTAINER/prefix is azure://ACCOUNT/CONTAINER/prefix
      scheme = "azure";
      authority = authority.substring(0, authority.length() - AZURE_HOST_SUFFIX.length());
    } else if (!OBJECT_STORE_SCHEMES.contains(scheme) && !ObjectStores.serves(scheme)) {
      throw new IllegalArgumentException("unknown URI scheme '" + scheme + "' in '" + text
          + "': supported are file, s3, gs, azure" + hadoopHint(scheme));
    }
    if (authority.isEmpty()) {
      throw new IllegalArgumentException("invalid location '" + text + "': missing bucket name");
    }
    if (scheme.equals("azure") && key.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid location '" + text + "': missing container (azure://ACCOUNT/CONTAINER/prefix)");
    }
    return new ObjectUri(scheme, authority, key, text);
  }

  private static String hadoopHint(String scheme) {
    return HADOOP_SCHEMES.contains(scheme) || scheme.startsWith("hadoop:")
        ? "; '" + scheme + "' needs the Hadoop adapter on the classpath (README: Hadoop file systems)"
        : "";
  }

  private static ObjectUri local(String text, Path path) {
    return new ObjectUri("file", "", path.toAbsolutePath().normalize().toString(), text);
  }

  public boolean isLocal() {
    return scheme.equals("file");
  }

  /** The local path; only for {@link #isLocal()} locations. */
  public Path localPath() {
    if (!isLocal()) {
      throw new IllegalStateException("not a local location: " + text);
    }
    return Path.of(path);
  }

  /** Whether the user wrote the location with a trailing separator (a directory or prefix). */
  public boolean endsWithSeparator() {
    return text.endsWith("/") || text.endsWith("\\");
  }

  @Override
  public String toString() {
    return text;
  }
}
