package io.herald.http;

import io.herald.cluster.HostPort;
import io.herald.discovery.DiscoveryView;
import io.herald.topology.ClusterAnalysis;
import io.herald.topology.ClusterTree;
import io.herald.topology.GtidList;
import io.herald.topology.InstanceProblem;
import io.herald.topology.InstanceState;
import io.herald.topology.IoThread;
import io.herald.topology.Observation;
import io.herald.topology.ReplicaStatus;
import io.herald.topology.SemiSync;
import io.herald.topology.Topology;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One instance in orchestrator's {@code Instance} JSON shape (its field names, including the misspelt
 * {@code ReplicationIOThreadRuning}), from a {@link DiscoveryView}, plus Herald's {@code Problems} and the MariaDB
 * GTID positions orchestrator does not read. An instance that was never read (known only because another names it,
 * or its probes always failed) has empty facts: zero, false, empty strings; {@code IsLastCheckValid} false.
 * Pure; thread-safe.
 */
final class InstanceJson {
  private InstanceJson() {}

  static Map<String, Object> of(DiscoveryView view, HostPort key) {
    Topology t = view.topology();
    Optional<Observation> o = t.observation(key);
    Optional<InstanceState> s = t.knownState(key);
    Optional<ReplicaStatus> r = s.flatMap(InstanceState::replication);
    Optional<ClusterTree> tree = t.clusterOf(key);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Key", key(key));
    m.put("InstanceAlias", "");
    m.put("ServerID", s.map(InstanceState::serverId).orElse(0L));
    m.put("Version", s.map(InstanceState::version).orElse(""));
    m.put("ReadOnly", s.map(InstanceState::readOnly).orElse(false));
    m.put("Binlog_format", s.map(InstanceState::binlogFormat).orElse(""));
    m.put("LogBinEnabled", s.map(InstanceState::logBin).orElse(false));
    m.put("LogReplicationUpdatesEnabled", s.map(InstanceState::logSlaveUpdates).orElse(false));
    m.put("MasterKey", r.map(x -> key(x.source())).orElseGet(InstanceJson::noKey));
    m.put("ReplicationIOThreadRuning", r.map(ReplicaStatus::connected).orElse(false));
    m.put("ReplicationSQLThreadRuning", r.map(ReplicaStatus::sqlRunning).orElse(false));
    // orchestrator's ReplicationThreadState: -1 no replication, 0 stopped, 1 running, 2 other (connecting)
    m.put("ReplicationIOThreadState",
        r.map(x -> x.io() == IoThread.YES ? 1 : x.io() == IoThread.CONNECTING ? 2 : 0).orElse(-1));
    m.put("ReplicationSQLThreadState", r.map(x -> x.sqlRunning() ? 1 : 0).orElse(-1));
    m.put("LastIOError", r.map(ReplicaStatus::lastIoError).orElse(""));
    m.put("LastSQLError", r.map(ReplicaStatus::lastSqlError).orElse(""));
    OptionalLong lag = r.map(ReplicaStatus::secondsBehindMaster).orElse(OptionalLong.empty());
    m.put("SecondsBehindMaster", nullInt64(lag));
    m.put("ReplicationLagSeconds", nullInt64(r.isPresent() ? lag : OptionalLong.of(0)));
    m.put("SQLDelay", r.map(ReplicaStatus::sqlDelay).orElse(0L));
    m.put("HasReplicationFilters", r.map(ReplicaStatus::hasFilters).orElse(false));
    m.put("UsingOracleGTID", false);
    m.put("UsingMariaDBGTID", r.map(x -> !x.usingGtid().equalsIgnoreCase("No")).orElse(false));
    m.put("UsingPseudoGTID", false);
    m.put("ExecutedGtidSet", gtids(s, InstanceState::gtidCurrentPos));
    m.put("GtidCurrentPos", gtids(s, InstanceState::gtidCurrentPos));
    m.put("GtidBinlogPos", gtids(s, InstanceState::gtidBinlogPos));
    m.put("GtidSlavePos", gtids(s, InstanceState::gtidSlavePos));
    m.put("GtidBinlogState", gtids(s, InstanceState::gtidBinlogState));
    m.put("GtidIOPos", r.map(x -> x.gtidIoPos().toString()).orElse(""));
    SemiSync semi = s.map(InstanceState::semiSync).orElse(SemiSync.OFF);
    m.put("SemiSyncMasterEnabled", semi.masterEnabled());
    m.put("SemiSyncMasterStatus", semi.masterActive());
    m.put("SemiSyncMasterClients", semi.masterClients());
    m.put("SemiSyncReplicaEnabled", semi.replicaEnabled());
    m.put("SemiSyncReplicaStatus", semi.replicaActive());
    m.put("Replicas", t.replicas(key).stream().map(InstanceJson::key).toList());
    m.put("ClusterName", tree.map(ClusterTree::name).orElse(""));
    m.put("SuggestedClusterAlias", alias(view, key, tree));
    m.put("DataCenter", s.flatMap(InstanceState::dataCenter).orElse(""));
    m.put("ReplicationDepth", depth(t, key));
    boolean valid = o.map(Observation::reachable).orElse(false);
    m.put("IsLastCheckValid", valid);
    m.put("IsUpToDate", valid);
    m.put("LastSeen", o.flatMap(Observation::lastSeen).map(Object::toString).orElse(null));
    m.put("LastCheckedAt", o.map(x -> x.attemptedAt().toString()).orElse(null));
    m.put("LastProbeError", o.flatMap(Observation::error).map(e -> e.kind() + ": " + e.message()).orElse(""));
    m.put("Problems", problems(view, key, tree));
    return m;
  }

  static Map<String, Object> key(HostPort a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Hostname", a.host());
    m.put("Port", a.port());
    return m;
  }

  /** orchestrator's empty key, e.g. the {@code MasterKey} of a master. */
  static Map<String, Object> noKey() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Hostname", "");
    m.put("Port", 0);
    return m;
  }

  /** Go's {@code sql.NullInt64}, as orchestrator serialises it. */
  static Map<String, Object> nullInt64(OptionalLong v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Int64", v.orElse(0));
    m.put("Valid", v.isPresent());
    return m;
  }

  private static String gtids(Optional<InstanceState> s, java.util.function.Function<InstanceState, GtidList> f) {
    return s.map(f).map(GtidList::toString).orElse("");
  }

  /** The alias bound to the instance's cluster, else the alias its analysis suggests, else "". */
  private static String alias(DiscoveryView view, HostPort key, Optional<ClusterTree> tree) {
    return view.aliasOf(key).or(() -> tree.flatMap(x -> view.analysis(x.name())).map(a -> a.alias().alias().value()))
        .orElse("");
  }

  /** Hops from the instance to the root of its tree (0 for a root); a cycle stops the walk where it closes. */
  private static int depth(Topology t, HostPort key) {
    int depth = 0;
    Set<HostPort> seen = new HashSet<>();
    seen.add(key);
    for (Optional<HostPort> p = t.parent(key); p.isPresent() && seen.add(p.get()); p = t.parent(p.get())) depth++;
    return depth;
  }

  private static List<Map<String, Object>> problems(DiscoveryView view, HostPort key, Optional<ClusterTree> tree) {
    List<Map<String, Object>> out = new ArrayList<>();
    Optional<ClusterAnalysis> a = tree.flatMap(x -> view.analysis(x.name()));
    for (InstanceProblem p : a.map(ClusterAnalysis::problems).orElse(List.of())) {
      if (p.instance().equals(key)) out.add(problem(p));
    }
    return out;
  }

  static Map<String, Object> problem(InstanceProblem p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Code", p.code().name());
    m.put("Message", p.message());
    return m;
  }
}
