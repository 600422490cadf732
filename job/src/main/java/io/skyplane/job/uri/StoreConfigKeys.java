package io.skyplane.job.uri;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * What a store config key may be: the options each native store reads, and the rule that keeps
 * secrets out of the file.
 *
 * <p><b>Known options.</b> {@link #OPTIONS} lists, per native scheme, every option its factory reads
 * ({@code S3Options}, {@code GcsStoreFactory}, {@code AzureStoreFactory}); a key naming another
 * option of a native scheme is refused with a "did you mean" hint. <b>A provider that reads a new
 * option adds its name here.</b> Keys of other schemes (Hadoop's) and {@code hadoop.*} keys are
 * free-form.
 *
 * <p><b>Secrets.</b> The words of a key (the option of {@code SCHEME[@BUCKET].OPTION}, the rest of
 * {@code hadoop.KEY}; split at anything but letters and digits, lower case) name a secret when
 * <ul>
 *   <li>a word is one of {@link #SECRET_WORDS} (secret, password, token, credential, signature,
 *       sas, bearer, authorization, ...), or
 *   <li>consecutive words spell one of {@link #SECRET_PHRASES} (access key, account key, private
 *       key, api key, encryption key, client secret, refresh token, connection string, ...), or
 *   <li>the last word is one of {@link #SECRET_LAST_WORDS} (oauth, auth: a bare {@code gs.oauth}).
 * </ul>
 * Such a key is still allowed when its last word says that the value only points at the secret:
 * {@code env} (the name of an environment variable, which must then look like one), {@code file},
 * {@code path}, {@code keyfile} (a path), {@code provider}, {@code type}, {@code class} (a
 * mechanism), {@code endpoint}, {@code url} (where to fetch a token). Messages name the key, never
 * the value.
 */
final class StoreConfigKeys {
  /** Every option the native stores read, by scheme. Extend when a provider reads a new one. */
  static final Map<String, Set<String>> OPTIONS = Map.of(
      "s3", Set.of("endpoint", "path-style", "region", "profile", "attempts", "connect-timeout",
          "request-timeout", "idle-timeout", "unsigned-payload"),
      "gs", Set.of("endpoint", "project", "anonymous", "attempts", "connect-timeout", "request-timeout",
          "idle-timeout"),
      "azure", Set.of("endpoint", "connection-string-env", "sas-token-env", "attempts", "connect-timeout",
          "request-timeout", "idle-timeout"),
      "file", Set.of());

  static final Set<String> SECRET_WORDS = Set.of("secret", "secrets", "password", "passwd", "pwd",
      "passphrase", "credential", "credentials", "token", "tokens", "signature", "sas", "bearer",
      "authorization", "cookie", "jwt", "apikey", "accesskey", "accountkey", "secretkey", "privatekey",
      "sharedkey", "sastoken", "connectionstring");

  static final List<String> SECRET_PHRASES = List.of("accesskey", "accountkey", "secretkey", "privatekey",
      "sharedkey", "apikey", "encryptionkey", "signingkey", "masterkey", "clientkey", "customerkey", "storagekey",
      "hmackey", "clientsecret", "sessiontoken", "refreshtoken", "accesstoken", "authtoken", "idtoken", "sastoken",
      "connectionstring");

  /** Not "key": object keys, partition keys and test options such as {@code fail-key} are not secrets. */
  static final Set<String> SECRET_LAST_WORDS = Set.of("oauth", "oauth2", "auth");

  static final Set<String> POINTER_LAST_WORDS = Set.of("env", "file", "path", "keyfile", "provider",
      "providers", "type", "class", "endpoint", "url");

  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private StoreConfigKeys() {}

  /**
   * Why {@code key} with {@code value} is refused, or null when it is fine. {@code option} is the
   * part of the key that names the option (the whole key after {@code hadoop.} for Hadoop keys).
   */
  @Nullable
  static String problem(String key, String option, String value) {
    List<String> words = Arrays.stream(option.toLowerCase(Locale.ROOT).split("[^a-z0-9]+"))
        .filter(w -> !w.isEmpty()).toList();
    if (words.isEmpty()) {
      return "key '" + key + "' names no option";
    }
    String last = words.get(words.size() - 1);
    if (last.equals("env")) {
      return VARIABLE.matcher(value).matches() ? null
          : "key '" + key + "' must name an environment variable (letters, digits and '_'), not hold a value"
              + " (the value is not shown)";
    }
    if (POINTER_LAST_WORDS.contains(last) || !secret(words)) {
      return null;
    }
    return "must not hold secrets: key '" + key + "'; put credentials in the provider's chain (environment,"
        + " profile, core-site.xml credential providers) and name environment variables with *-env options";
  }

  private static boolean secret(List<String> words) {
    if (words.stream().anyMatch(SECRET_WORDS::contains) || SECRET_LAST_WORDS.contains(words.get(words.size() - 1))) {
      return true;
    }
    String joined = String.join("", words);
    return SECRET_PHRASES.stream().anyMatch(joined::contains);
  }

  /**
   * Why {@code option} of a native {@code scheme} is refused (it is not one the store reads, with the
   * closest known name), or null when it is known or the scheme is not native.
   */
  @Nullable
  static String unknownOption(String key, String scheme, String option) {
    Set<String> known = OPTIONS.get(scheme);
    if (known == null || known.contains(option)) {
      return null;
    }
    if (known.isEmpty()) {
      return "key '" + key + "': " + scheme + " locations take no options";
    }
    String closest = null;
    int best = Integer.MAX_VALUE;
    for (String candidate : new TreeSet<>(known)) {
      int distance = distance(option.toLowerCase(Locale.ROOT), candidate);
      if (distance < best) {
        best = distance;
        closest = candidate;
      }
    }
    String hint = best <= Math.max(2, option.length() / 3) ? "did you mean '" + closest + "'? " : "";
    return "key '" + key + "': unknown " + scheme + " option '" + option + "' (" + hint + scheme + " takes "
        + String.join(", ", new TreeSet<>(known)) + ")";
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
