package io.skyplane.testing.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket HTTP server for answers the JDK server cannot give (no length, early refusals,
 * connections closed while idle): reads one head at a time and lets the test's handler answer.
 */
final class ScriptedUpstream implements AutoCloseable {
  /** Answers one request; returns false to end the connection. */
  @FunctionalInterface
  interface Handler {
    boolean handle(String head, InputStream in, OutputStream out, Socket socket) throws IOException;
  }

  private final ServerSocket server;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger connections = new AtomicInteger();

  ScriptedUpstream(Handler handler) throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          connections.incrementAndGet();
          Thread c = new Thread(() -> serve(s, handler), "scripted-upstream-conn");
          c.setDaemon(true);
          c.start();
        } catch (IOException e) {
          return;
        }
      }
    }, "scripted-upstream");
    t.setDaemon(true);
    t.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private void serve(Socket s, Handler handler) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        requests.incrementAndGet();
        if (!handler.handle(head, in, out, s)) {
          return;
        }
      }
    } catch (IOException e) {
      // connection ended
    }
  }

  /** The head up to and without the blank line, or null at end of stream. */
  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      byte[] a = b.toByteArray();
      int n = a.length;
      if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
        return new String(a, 0, n - 4, StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }
}
