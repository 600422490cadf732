package io.skyplane.store.hadoop;

import static java.util.Objects.requireNonNull;

import io.skyplane.store.ObjectStore;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreFactory;
import io.skyplane.store.StoreSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any Hadoop {@code FileSystem} on the classpath as an object store: {@code s3a://BUCKET/prefix}
 * (hadoop-aws), {@code abfs[s]://CONTAINER@ACCOUNT.dfs.core.windows.net/prefix} (hadoop-azure),
 * {@code hdfs://NAMENODE:PORT/path}, {@code webhdfs}, {@code viewfs}, {@code o3fs}, ... and any other
 * scheme written as {@code hadoop:SCHEME://AUTHORITY/path}, e.g. {@code hadoop:gs://bucket/x} for
 * the gcs-connector (plain {@code gs://} is the native GCS store). The spec's scheme is the URI's
 * ({@code s3a}, {@code hadoop:gs}); its bucket is the URI's authority ({@code nn:8020} for HDFS).
 *
 * <p>The file system's {@code Configuration} is Hadoop's: {@code core-site.xml} and {@code
 * hdfs-site.xml} from the classpath, then from {@code $HADOOP_CONF_DIR}, then every spec option
 * named {@code hadoop.KEY}, set as {@code KEY} (e.g. {@code hadoop.fs.s3a.endpoint}). Option {@code
 * root} names a directory inside the file system that keys are relative to (default: its root).
 * Credentials come from the connectors' own providers (core-site.xml, credential providers,
 * environment), never from the spec. Hadoop itself is optional: without it on the classpath, {@link
 * #open} fails with FATAL and says which jars are missing.
 */
public final class HadoopStoreFactory implements StoreFactory {
  /** The main scheme, and the prefix of {@code hadoop:SCHEME} for any other Hadoop scheme. */
  public static final String SCHEME = "hadoop";
  /** The option naming a directory inside the file system that keys are relative to. */
  public static final String ROOT = "root";
  /** Options with this prefix are Hadoop configuration keys (prefix stripped). */
  public static final String CONFIG_PREFIX = "hadoop.";

  /** Schemes served without the {@code hadoop:} prefix (no native store has them). */
  static final Set<String> NATIVE_SCHEMES = Set.of(
      "s3a", "abfs", "abfss", "hdfs", "webhdfs", "swebhdfs", "viewfs", "wasb", "wasbs", "o3fs", "ofs");

  private static final Pattern URI = Pattern.compile("((?:hadoop:)?[a-z][a-z0-9+.-]*)://([^/]*)(?:/(.*))?");
  private static final Pattern SCHEME_NAME = Pattern.compile("[a-z][a-z0-9+.-]*");

  /** Where a Hadoop URI points: the store's spec and the key prefix inside the file system. */
  public record Location(StoreSpec spec, String prefix) {
    public Location {
      requireNonNull(spec, "spec is null");
      requireNonNull(prefix, "prefix is null");
    }
  }

  private final UnaryOperator<String> environment;

  public HadoopStoreFactory() {
    this(System::getenv);
  }

  /** For tests: reads "environment variables" ({@code HADOOP_CONF_DIR}) from {@code environment}. */
  HadoopStoreFactory(UnaryOperator<String> environment) {
    this.environment = requireNonNull(environment, "environment is null");
  }

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public boolean serves(String scheme) {
    return fileSystemScheme(scheme).isPresent();
  }

  /**
   * The Hadoop scheme a store scheme names: {@code s3a} for {@code s3a}, {@code gs} for {@code
   * hadoop:gs}; empty when this factory does not serve it.
   */
  static Optional<String> fileSystemScheme(String scheme) {
    if (NATIVE_SCHEMES.contains(scheme)) {
      return Optional.of(scheme);
    }
    if (scheme.startsWith(SCHEME + ":")) {
      String real = scheme.substring(SCHEME.length() + 1);
      if (SCHEME_NAME.matcher(real).matches()) {
        return Optional.of(real);
      }
    }
    return Optional.empty();
  }

  /**
   * Parses {@code s3a://bucket/prefix}, {@code hdfs://nn:8020/path}, {@code hadoop:gs://bucket/x},
   * {@code hadoop:file:///dir/} into a spec (scheme, authority as the bucket, the options) and a key
   * prefix.
   */
  public static Location locate(String uri, Map<String, String> options) {
    requireNonNull(uri, "uri is null");
    Matcher m = URI.matcher(uri);
    if (!m.matches() || fileSystemScheme(m.group(1)).isEmpty()) {
      throw new IllegalArgumentException("not a Hadoop file system URI (" + String.join("://, ", sorted())
          + "://, or hadoop:SCHEME://AUTHORITY/path): '" + uri + "'");
    }
    String prefix = m.group(3) == null ? "" : m.group(3);
    return new Location(new StoreSpec(m.group(1), m.group(2), options), prefix);
  }

  private static List<String> sorted() {
    List<String> schemes = new ArrayList<>(NATIVE_SCHEMES);
    schemes.sort(null);
    return schemes;
  }

  @Override
  public ObjectStore open(StoreSpec spec) throws IOException {
    String scheme = spec.scheme().toLowerCase(Locale.ROOT);
    String display = scheme + "://" + spec.bucket();
    Optional<String> fsScheme = fileSystemScheme(scheme);
    if (fsScheme.isEmpty()) {
      throw new StoreException(StoreException.Kind.FATAL, "cannot open " + display
          + ": not a Hadoop scheme (use hadoop:SCHEME://... for a file system without its own prefix)");
    }
    Optional<String> missing = missingHadoop(HadoopStoreFactory.class.getClassLoader());
    if (missing.isPresent()) {
      throw new StoreException(StoreException.Kind.FATAL, "cannot open " + display + ": " + missing.get());
    }
    // Only now touch Hadoop's classes (HadoopFileSystems links against them).
    return HadoopFileSystems.open(spec, fsScheme.get(), environment);
  }

  /** Which of Hadoop's client jars {@code loader} cannot see, as one line for the user; empty when none. */
  static Optional<String> missingHadoop(ClassLoader loader) {
    List<String> missing = new ArrayList<>();
    if (!loads(loader, "org.apache.hadoop.fs.FileSystem")) {
      missing.add("hadoop-client-api");
    }
    if (!loads(loader, "org.apache.hadoop.shaded.org.apache.commons.configuration2.Configuration")) {
      missing.add("hadoop-client-runtime");
    }
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("Hadoop is not on the classpath (missing " + String.join(" and ", missing)
        + "; build job/hadoop and add target/skyplane-hadoop.jar and target/hadoop-lib/*, " + HadoopErrors.README + ")");
  }

  private static boolean loads(ClassLoader loader, String name) {
    try {
      Class.forName(name, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
