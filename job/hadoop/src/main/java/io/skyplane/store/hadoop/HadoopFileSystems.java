package io.skyplane.store.hadoop;

import io.skyplane.store.ObjectStore;
import io.skyplane.store.StoreException;
import io.skyplane.store.StoreSpec;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/** Builds a spec's Hadoop {@code Configuration} and opens its (uncached) {@code FileSystem}. */
final class HadoopFileSystems {
  private static final String GCS_REPAIR_DIRECTORIES = "fs.gs.implicit.dir.repair.enable";

  private HadoopFileSystems() {}

  static ObjectStore open(StoreSpec spec, String fsScheme, UnaryOperator<String> environment) throws IOException {
    String display = spec.scheme() + "://" + spec.bucket();
    Configuration conf = configuration(spec, fsScheme, environment);
    URI fsUri;
    try {
      fsUri = new URI(fsScheme, spec.bucket().isEmpty() ? null : spec.bucket(), "/", null, null);
    } catch (URISyntaxException e) {
      throw HadoopErrors.fatal("open", display, "bad authority '" + spec.bucket() + "': " + e.getMessage());
    }
    String root = spec.option(HadoopStoreFactory.ROOT, "");
    while (root.startsWith("/")) {
      root = root.substring(1);
    }
    while (root.endsWith("/")) {
      root = root.substring(0, root.length() - 1);
    }
    FileSystem fs;
    try {
      // newInstance: never the JVM-wide cache, so closing the store closes only its own instance.
      fs = FileSystem.newInstance(fsUri, conf);
    } catch (IOException | RuntimeException e) {
      StoreException translated = HadoopErrors.translate("open", display, e);
      if (isMissingConnector(e)) {
        throw new StoreException(StoreException.Kind.FATAL, "cannot open " + display + ": no Hadoop FileSystem for '"
            + fsScheme + "' on the classpath (" + e.getMessage() + "); add its connector jar (hadoop-aws for s3a, "
            + "gcs-connector for gs, hadoop-azure for abfs), " + HadoopErrors.README, e);
      }
      throw translated;
    }
    return new HadoopStore(fs, fsUri, spec.scheme(), spec.bucket(), root, directCommit(fsScheme));
  }

  /**
   * The configuration: Hadoop's defaults and {@code core-site.xml} from the classpath (as {@code new
   * Configuration()} loads them), {@code hdfs-site.xml} from the classpath, the same two files from
   * {@code $HADOOP_CONF_DIR}, then every {@code hadoop.KEY} option as {@code KEY}.
   */
  static Configuration configuration(StoreSpec spec, String fsScheme, UnaryOperator<String> environment) {
    Configuration conf = new Configuration();
    conf.setClassLoader(HadoopFileSystems.class.getClassLoader());
    conf.addResource("hdfs-site.xml");
    String confDir = environment.apply("HADOOP_CONF_DIR");
    if (confDir != null && !confDir.isBlank()) {
      for (String name : new String[] {"core-site.xml", "hdfs-site.xml"}) {
        File file = new File(confDir, name);
        if (file.isFile()) {
          conf.addResource(new org.apache.hadoop.fs.Path(file.toURI()));
        }
      }
    }
    for (Map.Entry<String, String> option : spec.options().entrySet()) {
      if (option.getKey().startsWith(HadoopStoreFactory.CONFIG_PREFIX)) {
        conf.set(option.getKey().substring(HadoopStoreFactory.CONFIG_PREFIX.length()), option.getValue(),
            "skyplane store option " + option.getKey());
      }
    }
    conf.setBoolean("fs." + fsScheme + ".impl.disable.cache", true);
    if (fsScheme.equals("gs") && conf.get(GCS_REPAIR_DIRECTORIES) == null) {
      // Objects have no directories: do not leave "DIR/" placeholder objects behind deletes.
      conf.setBoolean(GCS_REPAIR_DIRECTORIES, false);
    }
    return conf;
  }

  /**
   * Object stores whose files become visible only when their output stream closes, whole (S3A: a
   * PUT or a completed multipart upload; gcs-connector: a finished resumable upload). Writing to the
   * target directly is atomic there, while a rename is a copy and a delete.
   */
  private static boolean directCommit(String fsScheme) {
    return fsScheme.equals("s3a") || fsScheme.equals("gs");
  }

  private static boolean isMissingConnector(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String name = t.getClass().getName();
      if (t instanceof ClassNotFoundException || t instanceof NoClassDefFoundError
          || name.equals("org.apache.hadoop.fs.UnsupportedFileSystemException")) {
        return true;
      }
    }
    return false;
  }
}
