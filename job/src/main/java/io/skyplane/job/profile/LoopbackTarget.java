package io.skyplane.job.profile;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A stand-in data port on the embedded cluster, where the one TaskManager exchanges data in memory
 * and runs no data server: a loopback listener in the client that accepts and closes every
 * connection, so the senders' connect timing runs as on a cluster and yields loopback RTTs.
 */
final class LoopbackTarget implements AutoCloseable {
  private final ServerSocket server;
  private final Thread acceptor;

  private LoopbackTarget(ServerSocket server) {
    this.server = server;
    this.acceptor = new Thread(this::acceptAll, "skyplane-profile-loopback");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static LoopbackTarget open() throws IOException {
    return new LoopbackTarget(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
  }

  Endpoint endpoint() {
    return new Endpoint(server.getInetAddress().getHostAddress(), server.getLocalPort());
  }

  private void acceptAll() {
    while (!server.isClosed()) {
      try (Socket ignored = server.accept()) {
        // connect() already returned on the other side; nothing to say
      } catch (IOException e) {
        // closed: done
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
