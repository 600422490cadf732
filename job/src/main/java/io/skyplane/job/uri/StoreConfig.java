package io.skyplane.job.uri;

import static java.util.Objects.requireNonNull;

import io.skyplane.job.transfer.Location;
import io.skyplane.store.StoreSpec;
import io.skyplane.store.azure.AzureStoreFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * Endpoints and other non-secret store options, from a Java properties file:
 *
 * <pre>
 * s3.endpoint = http://127.0.0.1:9000     # every s3:// bucket
 * s3.path-style = true
 * s3@logs.example.endpoint = http://10.0.0.5:9000   # only s3://logs.example (option after the last '.')
 * gs.anonymous = true
 * azure.endpoint = http://127.0.0.1:10000/devstoreaccount1
 * azure@myaccount.sas-token-env = MY_SAS          # by account, or azure@ACCOUNT/CONTAINER.option
 * hadoop.fs.s3a.endpoint = http://127.0.0.1:9000  # passed to every Hadoop scheme's Configuration
 * </pre>
 *
 * The file is {@code --store-config FILE}, else the one named by {@code $SKYPLANE_STORE_CONFIG}, else
 * {@code ~/.skyplane/stores.properties} when it exists, else {@code conf/stores.properties} of the
 * installation ({@code bin/skyplane} sets {@code skyplane.home}); none at all means every store uses
 * its provider's defaults. Secrets are refused: keys that look like keys, passwords, tokens or
 * connection strings fail the load, naming the key (never the value); so does an option a native
 * store (s3, gs, azure) does not read. {@link StoreConfigKeys} holds both rules and the option names.
 * Credentials come from the providers' own chains (environment, profiles, instance metadata).
 */
public final class StoreConfig {
  public static final String ENVIRONMENT = "SKYPLANE_STORE_CONFIG";
  private static final Set<String> NATIVE = Set.of("file", "s3", "gs", "azure");

  private final Map<String, String> entries;
  private final String origin;

  private StoreConfig(Map<String, String> entries, String origin) {
    this.entries = entries;
    this.origin = origin;
  }

  public static StoreConfig empty() {
    return new StoreConfig(Map.of(), "(none)");
  }

  /** From the entries of a map, for tests and embedding; checked like a file. */
  public static StoreConfig of(Map<String, String> entries) {
    return check(new TreeMap<>(entries), "(map)");
  }

  /**
   * Loads the configuration: {@code file} when given (it must exist), else the environment's or
   * the home directory's file, else none. Throws {@link IllegalArgumentException} naming the file.
   */
  public static StoreConfig load(@Nullable Path file) {
    Path chosen = file;
    if (chosen == null) {
      String fromEnvironment = System.getenv(ENVIRONMENT);
      if (fromEnvironment != null && !fromEnvironment.isBlank()) {
        chosen = Path.of(fromEnvironment);
      } else {
        Path home = Path.of(System.getProperty("user.home"), ".skyplane", "stores.properties");
        String install = System.getProperty("skyplane.home", "");
        Path installed = install.isEmpty() ? null : Path.of(install, "conf", "stores.properties");
        if (Files.isRegularFile(home)) {
          chosen = home;
        } else if (installed != null && Files.isRegularFile(installed)) {
          chosen = installed;
        } else {
          return empty();
        }
      }
    }
    if (!Files.isRegularFile(chosen)) {
      throw new IllegalArgumentException("store config '" + chosen + "' does not exist or is not a file");
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(chosen, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot read store config '" + chosen + "': " + e.getMessage());
    }
    Map<String, String> entries = new TreeMap<>();
    properties.stringPropertyNames().forEach(k -> entries.put(k.trim(), properties.getProperty(k).trim()));
    return check(entries, chosen.toString());
  }

  private static StoreConfig check(Map<String, String> entries, String origin) {
    for (Map.Entry<String, String> entry : entries.entrySet()) {
      String key = entry.getKey();
      String lower = key.toLowerCase(Locale.ROOT);
      boolean hadoop = lower.startsWith("hadoop.");
      if (!hadoop && lower.indexOf('.') < 0) {
        String secret = StoreConfigKeys.problem(key, key, entry.getValue());
        throw new IllegalArgumentException("store config '" + origin + "'" + (secret != null ? " " + secret
            : ": key '" + key + "' is not SCHEME.OPTION, SCHEME@BUCKET.OPTION or hadoop.KEY"));
      }
      String option = hadoop ? key.substring("hadoop.".length()) : key.substring(key.lastIndexOf('.') + 1);
      String problem = StoreConfigKeys.problem(key, option, entry.getValue());
      if (problem == null && !hadoop) {
        String target = lower.substring(0, lower.lastIndexOf('.'));
        String scheme = target.contains("@") ? target.substring(0, target.indexOf('@')) : target;
        problem = StoreConfigKeys.unknownOption(key, scheme, option);
      }
      if (problem != null) {
        throw new IllegalArgumentException("store config '" + origin + "'" + (problem.startsWith("must") ? " " : ": ")
            + problem);
      }
    }
    return new StoreConfig(Map.copyOf(entries), origin);
  }

  /** Where the configuration came from, for messages. */
  public String origin() {
    return origin;
  }

  /** The options of one bucket: the scheme's, overridden by the bucket's (and, for Azure, the account's). */
  public Map<String, String> options(String scheme, String bucket) {
    requireNonNull(scheme, "scheme is null");
    requireNonNull(bucket, "bucket is null");
    String account = bucket.contains("/") ? bucket.substring(0, bucket.indexOf('/')) : null;
    Map<String, String> general = new TreeMap<>();
    Map<String, String> byAccount = new TreeMap<>();
    Map<String, String> byBucket = new TreeMap<>();
    for (Map.Entry<String, String> entry : entries.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith("hadoop.")) {
        if (!NATIVE.contains(scheme)) {
          general.put(key, entry.getValue());
        }
        continue;
      }
      int dot = key.lastIndexOf('.');
      String target = key.substring(0, dot);
      String option = key.substring(dot + 1);
      int at = target.indexOf('@');
      String targetScheme = (at < 0 ? target : target.substring(0, at)).toLowerCase(Locale.ROOT);
      if (!targetScheme.equals(scheme)) {
        continue;
      }
      if (at < 0) {
        general.put(option, entry.getValue());
      } else if (target.substring(at + 1).equals(bucket)) {
        byBucket.put(option, entry.getValue());
      } else if (target.substring(at + 1).equals(account)) {
        byAccount.put(option, entry.getValue());
      }
    }
    general.putAll(byAccount);
    general.putAll(byBucket);
    return general;
  }

  /**
   * Resolves a parsed location into the store to open and the key prefix. For a tree the prefix
   * is made a directory ("" or ending with '/'); for a single object it is the object's key.
   */
  public Location locate(ObjectUri uri, boolean singleObject) {
    if (uri.isLocal()) {
      return Location.local(uri.localPath(), singleObject, uri.text());
    }
    StoreSpec spec;
    String prefix;
    if (uri.scheme().equals("azure")) {
      String path = uri.path();
      int slash = path.indexOf('/');
      String container = slash < 0 ? path : path.substring(0, slash);
      String bucket = uri.authority() + "/" + container;
      AzureStoreFactory.Location location = AzureStoreFactory.locate(
          "azure://" + bucket + (slash < 0 ? "" : "/" + path.substring(slash + 1)),
          options("azure", bucket));
      spec = location.spec();
      prefix = location.prefix();
    } else {
      spec = new StoreSpec(uri.scheme(), uri.authority(), options(uri.scheme(), uri.authority()));
      prefix = uri.path();
    }
    if (!singleObject && !prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
    return new Location(spec, prefix, uri.text());
  }
}
