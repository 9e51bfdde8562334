package io.herald.bench;

import io.herald.testing.FreePort;
import io.herald.testing.InProcessNode;
import io.herald.testing.TcpProxy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Three Herald nodes in this JVM forming one raft group on loopback ports, each with its own stores (given as JSON
 * config fragments) and data directory. With {@code proxied}, each node's peers reach it through a {@link TcpProxy}
 * that can be severed, as in {@code PartitionIT}. Constructors do no I/O; {@link #close} stops every node and proxy
 * started and deletes the data directories. Not thread-safe; used by one benchmark thread.
 */
final class RaftGroup implements AutoCloseable {
  static final int SIZE = 3;
  private static final Duration LEADER_LIMIT = Duration.ofSeconds(30);
  private final List<InProcessNode> nodes = new ArrayList<>();
  private final List<TcpProxy> proxies = new ArrayList<>();
  private Path dir;

  /**
   * Starts the nodes. {@code storeJson.get(i)} is spliced into node i's config (its stores and prefix); {@code extra}
   * into every node's.
   */
  void start(List<String> storeJson, boolean proxied, String extra) throws IOException {
    if (storeJson.size() != SIZE) throw new IllegalArgumentException("need " + SIZE + " store configs");
    dir = Files.createTempDirectory("herald-bench-raft");
    int[] raft = new int[SIZE];
    int[] advertised = new int[SIZE];
    StringBuilder peers = new StringBuilder();
    for (int i = 0; i < SIZE; i++) {
      raft[i] = FreePort.pick();
      advertised[i] = proxied ? FreePort.pick() : raft[i];
      if (proxied) proxies.add(new TcpProxy(advertised[i], raft[i]));
      peers.append(i == 0 ? "" : ", ").append("\"127.0.0.1:").append(advertised[i]).append('"');
    }
    for (int i = 0; i < SIZE; i++) {
      String json = "\"RaftEnabled\": true, \"RaftInsecureTransport\": true, \"RaftBind\": \"127.0.0.1:" + raft[i] + "\", \"RaftAdvertise\": \"127.0.0.1:"
          + advertised[i] + "\", \"RaftNodes\": [" + peers + "], " + storeJson.get(i) + extra;
      try {
        nodes.add(InProcessNode.start(dir.resolve("n" + i), json));
      } catch (IOException e) {
        throw e;
      } catch (Exception e) { // InProcessNode declares Exception
        throw new IOException("node " + i + ": start failed: " + e, e);
      }
    }
  }

  InProcessNode node(int i) {
    return nodes.get(i);
  }

  TcpProxy proxy(int i) {
    return proxies.get(i);
  }

  /** The index of the node answering 200 to {@code /api/leader-check}; waits at most 30 s. */
  int awaitLeader() throws IOException {
    long deadline = System.nanoTime() + LEADER_LIMIT.toNanos();
    for (int attempt = 0; attempt < 300 && System.nanoTime() < deadline; attempt++) {
      for (int i = 0; i < nodes.size(); i++) {
        try {
          if (nodes.get(i).get("/api/leader-check").status() == 200) return i;
        } catch (UncheckedIOException notYet) {
          // the node's HTTP server is not answering yet
        }
      }
      pause(100);
    }
    throw new IOException("no leader within " + LEADER_LIMIT);
  }

  static void pause(long millis) throws InterruptedIOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  /** Stops nodes, then proxies, then deletes the data directories; reports the first failure after trying all. */
  @Override
  public void close() {
    RuntimeException first = null;
    for (InProcessNode n : nodes) {
      try {
        n.close();
      } catch (RuntimeException e) {
        if (first == null) first = e;
      }
    }
    nodes.clear();
    for (TcpProxy p : proxies) p.close();
    proxies.clear();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      } catch (IOException e) {
        if (first == null) first = new UncheckedIOException("delete " + dir, e);
      }
      dir = null;
    }
    if (first != null) throw first;
  }
}
