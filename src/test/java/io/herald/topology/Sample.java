package io.herald.topology;

import io.herald.cluster.HostPort;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** A test builder of instance states and observations: a writable master or a healthy read-only replica. */
public final class Sample {
  static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  static final Duration LATENCY = Duration.ofMillis(5);

  final HostPort key;
  long serverId;
  boolean readOnly;
  boolean logBin = true;
  boolean logSlaveUpdates = true;
  GtidList binlogState = GtidList.EMPTY;
  GtidList binlogPos = GtidList.parse("0-1-100");
  Optional<ReplicaStatus> replication = Optional.empty();
  List<HostPort> replicas = List.of();
  SemiSync semiSync = SemiSync.OFF;
  Optional<String> clusterAlias = Optional.empty();
  Optional<Set<String>> missingPrivileges = Optional.empty();
  Instant at = T0;

  private Sample(HostPort key) {
    this.key = key;
    this.serverId = key.port();
  }

  public static HostPort key(int port) {
    return new HostPort("127.0.0.1", port);
  }

  public static Sample master(int port) {
    return new Sample(key(port));
  }

  public static Sample replica(int port, int sourcePort) {
    Sample s = new Sample(key(port));
    s.readOnly = true;
    s.replication = Optional.of(status(key(sourcePort), IoThread.YES, true, 0, OptionalLong.of(0)));
    return s;
  }

  static ReplicaStatus status(HostPort source, IoThread io, boolean sql, int ioErrno, OptionalLong lag) {
    return new ReplicaStatus(source, io, sql, ioErrno, ioErrno == 0 ? "" : "error reconnecting to master", 0, "",
        lag, 0, "Slave_Pos", GtidList.parse("0-1-100"), false);
  }

  public Sample readOnly(boolean ro) {
    readOnly = ro;
    return this;
  }

  public Sample io(IoThread io, int errno) {
    ReplicaStatus r = replication.orElseThrow();
    replication = Optional.of(status(r.source(), io, r.sqlRunning(), errno, io == IoThread.YES
        ? r.secondsBehindMaster() : OptionalLong.empty()));
    return this;
  }

  public Sample sqlStopped() {
    ReplicaStatus r = replication.orElseThrow();
    replication = Optional.of(status(r.source(), r.io(), false, r.lastIoErrno(), OptionalLong.empty()));
    return this;
  }

  Sample lag(long seconds) {
    ReplicaStatus r = replication.orElseThrow();
    replication = Optional.of(status(r.source(), r.io(), r.sqlRunning(), r.lastIoErrno(), OptionalLong.of(seconds)));
    return this;
  }

  Sample ioPos(String gtids) {
    ReplicaStatus r = replication.orElseThrow();
    replication = Optional.of(new ReplicaStatus(r.source(), r.io(), r.sqlRunning(), r.lastIoErrno(), r.lastIoError(),
        r.lastSqlErrno(), r.lastSqlError(), r.secondsBehindMaster(), r.sqlDelay(), r.usingGtid(),
        GtidList.parse(gtids), r.hasFilters()));
    return this;
  }

  /** What DetectClusterAliasQuery returns on it. */
  public Sample alias(String alias) {
    clusterAlias = Optional.of(alias);
    return this;
  }

  public Sample reports(int... ports) {
    replicas = Arrays.stream(ports).mapToObj(Sample::key).toList();
    return this;
  }

  Sample binlogState(String text) {
    binlogState = GtidList.parse(text);
    return this;
  }

  Sample at(Instant when) {
    at = when;
    return this;
  }

  InstanceState state() {
    return new InstanceState(key, serverId, "10.11.19-MariaDB-log", readOnly, logBin, logSlaveUpdates, "ROW", true, 0,
        binlogPos, binlogPos, GtidList.EMPTY, binlogState, replication, replicas, semiSync, clusterAlias,
        Optional.empty(), missingPrivileges);
  }

  /** A successful probe. */
  public Observation up() {
    return Observation.of(state(), at, LATENCY);
  }

  /** A failed probe one second later, after this state was read once. */
  public Observation down(ProbeError.Kind kind) {
    return Observation.failed(key, new ProbeError(kind, kind + " at " + key), at.plusSeconds(1), LATENCY,
        Optional.of(up()));
  }

  /** A failed probe of an instance never read. */
  static Observation neverUp(int port, ProbeError.Kind kind) {
    return Observation.failed(key(port), new ProbeError(kind, "refused"), T0, LATENCY, Optional.empty());
  }

  public static Topology topology(Observation... observations) {
    Map<HostPort, Observation> map = new LinkedHashMap<>();
    for (Observation o : observations) map.put(o.key(), o);
    return Topology.of(map);
  }
}
