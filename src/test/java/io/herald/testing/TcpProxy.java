package io.herald.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-test TCP proxy on a loopback port, forwarding to another loopback port, that can be severed (every
 * connection closed, new ones refused at once) and restored: a network partition a real server cannot produce on
 * its own. Named as the fault-injection device it is.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean severed;
  private volatile boolean dropAnswers;
  private volatile boolean closed;

  public TcpProxy(int listenPort, int targetPort) throws IOException {
    this.target = targetPort;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress("127.0.0.1", listenPort));
    Thread t = new Thread(this::accept, "proxy-" + listenPort);
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!closed) {
      Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        return;
      }
      // checked and registered under the same lock as sever(), so no connection slips through a partition
      synchronized (this) {
        if (severed) {
          quietly(in);
          continue;
        }
        try {
          Socket out = new Socket();
          out.connect(new InetSocketAddress("127.0.0.1", target), 2000);
          open.add(in);
          open.add(out);
          pump(in, out, false);
          pump(out, in, true);
        } catch (IOException e) {
          quietly(in);
        }
      }
    }
  }

  /** @param answers whether this direction carries the target's answers ({@link #dropAnswers} applies) */
  private void pump(Socket from, Socket to, boolean answers) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[64 * 1024];
      try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
        for (int n; (n = i.read(buf)) >= 0; ) {
          if (severed) break;
          if (answers && dropAnswers) continue;
          o.write(buf, 0, n);
          o.flush();
        }
      } catch (SocketException ignored) {
        // closed by sever() or by the other side
      } catch (IOException ignored) {
        // the connection is gone either way
      } finally {
        quietly(from);
        quietly(to);
      }
    }, "pump");
    t.setDaemon(true);
    t.start();
  }

  /** Closes every connection through the proxy and refuses new ones until {@link #restore}. */
  public synchronized void sever() {
    severed = true;
    for (Socket s : open) quietly(s);
  }

  /** Restores a severed proxy, and answers dropped by {@link #dropAnswers}. */
  public synchronized void restore() {
    severed = false;
    dropAnswers = false;
  }

  /**
   * Drops every byte the target sends back, on every connection, while the connections stay open: a request goes
   * through and is acted on, its answer is lost. Until {@link #restore} (a connection that lost bytes is corrupt:
   * {@link #sever} it first).
   */
  public void dropAnswers() {
    dropAnswers = true;
  }

  private void quietly(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    sever();
    try {
      server.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }
}
