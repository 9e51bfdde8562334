package io.herald.raft;

import static org.awaitility.Awaitility.await;

import io.herald.cluster.Cluster;
import io.herald.testing.FreePort;
import io.herald.testing.TcpProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Three Ratis nodes in this JVM on loopback ports, each with its own desired state; closed by {@link #close}. With
 * proxies, every node is reached by the others through a {@link TcpProxy} of its own (the address it advertises).
 */
final class InJvmGroup implements AutoCloseable {
  final List<RatisNode> nodes = new ArrayList<>();
  final List<DesiredState> states = new ArrayList<>();
  /** Node i's proxy, when the group has them. */
  final List<TcpProxy> proxies = new ArrayList<>();

  /** Starts the group and waits until every node names the same leader. */
  InJvmGroup(Path dir, Duration writeTimeout, long electionTimeoutMillis) {
    this(dir, writeTimeout, electionTimeoutMillis, false);
  }

  InJvmGroup(Path dir, Duration writeTimeout, long electionTimeoutMillis, boolean proxied) {
    List<String> binds = List.of("127.0.0.1:" + FreePort.pick(), "127.0.0.1:" + FreePort.pick(), "127.0.0.1:" + FreePort.pick());
    List<String> peers = binds;
    if (proxied) {
      peers = new ArrayList<>();
      try {
        for (String b : binds) {
          TcpProxy p = new TcpProxy(FreePort.pick(), Integer.parseInt(b.substring(b.lastIndexOf(':') + 1)));
          proxies.add(p);
          peers.add("127.0.0.1:" + p.port());
        }
      } catch (IOException e) {
        close();
        throw new UncheckedIOException(e);
      }
    }
    for (int i = 0; i < 3; i++) {
      RaftOptions o = new RaftOptions(binds.get(i), peers.get(i), dir.resolve("n" + i), peers, writeTimeout,
          Duration.ofSeconds(1), 100_000, 8 << 20, false, Optional.empty(), Duration.ofSeconds(60), true);
      DesiredState state = new DesiredState();
      states.add(state);
      nodes.add(new RatisNode(o, state, new StateListener() {
        @Override
        public void onApplied(List<Cluster> changed) {}

        @Override
        public void onReset(Collection<Cluster> all) {}
      }, electionTimeoutMillis));
    }
    try {
      for (RatisNode n : nodes) n.start();
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    }
    // a split first vote waits a whole election timeout before the next
    await().atMost(Duration.ofMillis(10_000 + 4 * electionTimeoutMillis)).until(() -> leader() >= 0);
  }

  /** The index of the node every node names as leader, or -1. */
  int leader() {
    Optional<String> first = Optional.empty();
    for (RatisNode n : nodes) {
      Optional<String> l = n.status().leader();
      if (l.isEmpty() || (first.isPresent() && !first.equals(l))) return -1;
      first = l;
    }
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).status().self().equals(first.get())) return i;
    }
    return -1;
  }

  @Override
  public void close() {
    for (RatisNode n : nodes) n.close();
    for (TcpProxy p : proxies) p.close();
  }
}
