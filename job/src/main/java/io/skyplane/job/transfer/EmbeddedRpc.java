package io.skyplane.job.transfer;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.ServiceLoader;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.classloading.SubmoduleClassLoader;
import org.apache.flink.runtime.rpc.AddressResolution;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.util.Reference;

/**
 * The embedded cluster's RPC system (Flink's Pekko actors, isolated in their own class loader).
 * Flink's loader copies the 24 MB {@code flink-rpc-akka.jar} out of {@code flink-rpc-akka-loader}
 * into the temp directory on every start (and leaves it there when the process is killed); the
 * build unpacks it once to {@code job/target/rpc/} and {@code bin/skyplane} names it with
 * {@value #JAR_PROPERTY}, so it is loaded from there. Without the property, or when the file is
 * missing, Flink's own loader runs.
 */
final class EmbeddedRpc implements RpcSystem {
  /** The unpacked {@code flink-rpc-akka.jar}; set by bin/skyplane. */
  static final String JAR_PROPERTY = "skyplane.rpc.jar";

  private final RpcSystem rpc;
  private final SubmoduleClassLoader loader;

  private EmbeddedRpc(RpcSystem rpc, SubmoduleClassLoader loader) {
    this.rpc = requireNonNull(rpc, "rpc is null");
    this.loader = requireNonNull(loader, "loader is null");
  }

  /**
   * The RPC system from the unpacked jar, or Flink's {@link RpcSystem#load} without one; throws
   * (as Flink's loader does) when the jar holds no RPC system.
   */
  static Reference<RpcSystem> load(Configuration conf) {
    String jar = System.getProperty(JAR_PROPERTY);
    if (jar == null || jar.isBlank() || !Files.isRegularFile(Path.of(jar))) {
      return Reference.owned(RpcSystem.load(conf));
    }
    SubmoduleClassLoader loader = new SubmoduleClassLoader(new URL[] {url(Path.of(jar))},
        RpcSystem.class.getClassLoader());
    Iterator<RpcSystem> found = ServiceLoader.load(RpcSystem.class, loader).iterator();
    if (!found.hasNext()) {
      close(loader);
      throw new IllegalStateException("no Flink RPC system in " + jar);
    }
    return Reference.owned(new EmbeddedRpc(found.next(), loader));
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a jar path: " + jar, e);
    }
  }

  @Override
  public RpcServiceBuilder localServiceBuilder(Configuration configuration) {
    return rpc.localServiceBuilder(configuration);
  }

  @Override
  public RpcServiceBuilder remoteServiceBuilder(Configuration configuration, String externalAddress,
      String externalPortRange) {
    return rpc.remoteServiceBuilder(configuration, externalAddress, externalPortRange);
  }

  @Override
  public String getRpcUrl(String hostname, int port, String endpointName, AddressResolution addressResolution,
      Configuration config) throws UnknownHostException {
    return rpc.getRpcUrl(hostname, port, endpointName, addressResolution, config);
  }

  @Override
  public InetSocketAddress getInetSocketAddressFromRpcUrl(String url) throws Exception {
    return rpc.getInetSocketAddressFromRpcUrl(url);
  }

  @Override
  public long getMaximumMessageSizeInBytes(Configuration config) {
    return rpc.getMaximumMessageSizeInBytes(config);
  }

  /** Closes the RPC system, then its class loader (the jar stays for the next run). */
  @Override
  public void close() {
    try {
      rpc.close();
    } finally {
      close(loader);
    }
  }

  private static void close(SubmoduleClassLoader loader) {
    try {
      loader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
