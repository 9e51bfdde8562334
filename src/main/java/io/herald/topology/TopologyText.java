package io.herald.topology;

import io.herald.cluster.HostPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A cluster as an indented text tree, like the {@code Details} of orchestrator's {@code /api/topology}: one line per
 * instance, replicas under their source indented two spaces per level after {@code + }, children sorted by key,
 * the bracketed facts aligned:
 *
 * <pre>
 * 127.0.0.1:23401   [0s,ok,10.11.19-MariaDB-log,rw,ROW,&gt;&gt;,GTID]
 * + 127.0.0.1:23402 [0s,ok,10.11.19-MariaDB-log,ro,ROW,&gt;&gt;,GTID]
 * </pre>
 *
 * The facts are: lag ({@code Seconds_Behind_Master}, {@code null} when unknown, {@code 0s} for a root), status
 * ({@code ok}, {@code nonreplicating}, {@code unreachable} or {@code unknown} when never read), version, {@code rw} or
 * {@code ro}, binlog format, {@code >>} with log_slave_updates, {@code GTID} when replicating with MariaDB GTID (or,
 * for a root, when it has a GTID binlog position). An unreachable instance shows its last known facts.
 */
public final class TopologyText {
  private TopologyText() {}

  /** The tree of {@code cluster}, lines ending in {@code \n}; roots first, then a cycle from its smallest member. */
  public static String render(Topology topology, ClusterTree cluster) {
    List<String[]> lines = new ArrayList<>();
    Set<HostPort> seen = new HashSet<>();
    for (HostPort root : cluster.roots()) walk(topology, root, 0, seen, lines);
    for (HostPort m : cluster.cycle()) walk(topology, m, 0, seen, lines);
    for (HostPort m : cluster.members()) walk(topology, m, 0, seen, lines);
    int width = 0;
    for (String[] l : lines) width = Math.max(width, l[0].length());
    StringBuilder b = new StringBuilder();
    for (String[] l : lines) {
      b.append(l[0]).append(" ".repeat(width - l[0].length() + 1)).append(l[1]).append('\n');
    }
    return b.toString();
  }

  private static void walk(Topology topology, HostPort key, int depth, Set<HostPort> seen, List<String[]> lines) {
    if (!seen.add(key)) return;
    String indent = depth == 0 ? "" : "  ".repeat(depth - 1) + "+ ";
    lines.add(new String[] {indent + key, facts(topology, key)});
    for (HostPort child : topology.children(key)) walk(topology, child, depth + 1, seen, lines);
  }

  /** The bracketed facts of one instance. */
  static String facts(Topology topology, HostPort key) {
    Optional<Observation> o = topology.observation(key);
    Optional<InstanceState> known = topology.knownState(key);
    if (known.isEmpty()) return o.map(x -> "[null,unreachable]").orElse("[null,unknown]");
    InstanceState s = known.get();
    boolean reachable = o.map(Observation::reachable).orElse(false);
    Optional<ReplicaStatus> r = s.replication();
    String lag = r.isEmpty() ? "0s" : r.get().secondsBehindMaster().isPresent()
        ? r.get().secondsBehindMaster().getAsLong() + "s" : "null";
    String status = !reachable ? "unreachable"
        : r.isPresent() && !(r.get().connected() && r.get().sqlRunning()) ? "nonreplicating" : "ok";
    if (!reachable) lag = "null";
    boolean gtid = r.map(x -> !x.usingGtid().equalsIgnoreCase("No")).orElse(!s.gtidBinlogPos().isEmpty());
    StringBuilder b = new StringBuilder("[").append(lag).append(',').append(status).append(',').append(s.version())
        .append(',').append(s.readOnly() ? "ro" : "rw").append(',').append(s.binlogFormat());
    if (s.logSlaveUpdates()) b.append(",>>");
    if (gtid) b.append(",GTID");
    return b.append(']').toString();
  }
}
