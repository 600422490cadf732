package io.skyplane.testing.faults;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * One client connection's keep-alive connection to the store, opened on first use and again after
 * the store closed it. Not thread-safe (one per {@link ProxyConnection}).
 */
final class StoreLink {
  private static final int IO_BUFFER = 64 * 1024;
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  /** A connection idle longer than this is checked for a close by the store before reuse. */
  private static final long IDLE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final InetSocketAddress address;
  private Socket socket;
  private HttpIn in;
  private OutputStream out;
  private long idleSince;

  StoreLink(InetSocketAddress address) {
    this.address = address;
  }

  /**
   * Makes sure a connection is open: keeps a live one, replaces one the store closed while idle.
   *
   * @return true if an existing connection is reused
   * @throws IOException if connecting fails
   */
  boolean open() throws IOException {
    if (socket != null && System.nanoTime() - idleSince > IDLE_CHECK_NANOS && !alive()) {
      close(false);
    }
    if (socket != null) {
      return true;
    }
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(address, CONNECT_TIMEOUT_MILLIS);
      in = new HttpIn(s.getInputStream(), IO_BUFFER);
      out = new BufferedOutputStream(s.getOutputStream(), IO_BUFFER);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    socket = s;
    return false;
  }

  HttpIn in() {
    return in;
  }

  OutputStream out() {
    return out;
  }

  Socket socket() {
    return socket;
  }

  /** Marks the connection idle (a response ended and it stays open). */
  void idle() {
    idleSince = System.nanoTime();
  }

  /** Closes the connection, with a reset if {@code abort} (the store then drops a half request). */
  void close(boolean abort) {
    Socket s = socket;
    socket = null;
    if (s != null) {
      if (abort) {
        ProxyConnection.reset(s);
      } else {
        try {
          s.close();
        } catch (IOException e) {
          // closed anyway
        }
      }
    }
  }

  /** Whether an idle connection is still open (no close and no stray bytes from the store). */
  private boolean alive() {
    if (in.buffered() > 0) {
      return false;
    }
    try {
      return !in.awaitData(socket, 1);
    } catch (IOException e) {
      return false;
    }
  }
}
