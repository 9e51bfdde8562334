package io.herald.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of this node's raft membership, named after orchestrator's keys.
 *
 * @param bind {@code RaftBind}: {@code host:port} the raft transport listens on
 * @param advertise {@code RaftAdvertise}: this node's address as listed in {@code peers}
 * @param dataDir {@code RaftDataDir}: the raft log, snapshots and delivery records live under it
 * @param peers {@code RaftNodes}: every member's advertised {@code host:port}, this node included (a single-node
 *     group lists only itself)
 * @param writeTimeout how long a write may wait for the group before it fails (a node cut off from the majority
 *     answers with an error after this, never hangs)
 * @param snapshotDelay how soon after a master change a snapshot is taken
 * @param autoSnapshotEntries a snapshot is also taken (and the log purged) after this many entries
 * @param logSegmentSize the raft log's segment size: a log is purged after a snapshot in whole segments only
 * @param standalone {@code RaftEnabled} is false: a group of one whose member id does not depend on its address,
 *     so that it may listen on any free port
 * @param tls mutual TLS for the raft transport ({@code RaftTLSCertFile}, {@code RaftTLSKeyFile},
 *     {@code RaftTLSCAFile}); when empty, a standalone node makes a certificate of its own at start, and a group
 *     member speaks plaintext only with {@code insecureTransport}
 * @param closeThreshold {@code RaftCloseThresholdSeconds}: Ratis closes the raft server after a JVM pause (GC, a
 *     frozen VM, SIGSTOP) this long; Herald then exits non-zero for its supervisor to restart it
 * @param insecureTransport {@code RaftInsecureTransport}: the operator accepts a plaintext raft transport, on which
 *     anyone who reaches the raft port can change the state; refused with {@code tls} or for a standalone node
 */
public record RaftOptions(
    String bind, String advertise, Path dataDir, List<String> peers, Duration writeTimeout, Duration snapshotDelay,
    long autoSnapshotEntries, long logSegmentSize, boolean standalone, java.util.Optional<RaftTls> tls,
    Duration closeThreshold, boolean insecureTransport) {
  public RaftOptions {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(advertise, "advertise");
    Objects.requireNonNull(dataDir, "dataDir");
    peers = List.copyOf(peers);
    if (!peers.contains(advertise)) {
      throw new IllegalArgumentException("RaftNodes " + peers + " must include this node's RaftAdvertise " + advertise);
    }
    Objects.requireNonNull(writeTimeout, "writeTimeout");
    Objects.requireNonNull(snapshotDelay, "snapshotDelay");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(closeThreshold, "closeThreshold");
    if (standalone && peers.size() != 1) throw new IllegalArgumentException("a standalone node is a group of one");
    if (logSegmentSize < 1024) throw new IllegalArgumentException("logSegmentSize must be at least 1 KiB");
    if (autoSnapshotEntries < 1) throw new IllegalArgumentException("autoSnapshotEntries must be positive");
    if (insecureTransport && (standalone || tls.isPresent())) {
      throw new IllegalArgumentException("an insecure transport is only for a group member without TLS");
    }
    if (!standalone && tls.isEmpty() && !insecureTransport) {
      throw new IllegalArgumentException("a group member needs raft TLS, or an insecure transport accepted explicitly");
    }
  }

  /** How the raft port is protected. */
  public RaftTransport transport() {
    if (tls.isPresent()) return RaftTransport.MUTUAL_TLS;
    return standalone ? RaftTransport.LOCAL_TLS : RaftTransport.INSECURE;
  }

  /** The same options on another address (a standalone node's port is chosen at start). */
  public RaftOptions at(String address) {
    return new RaftOptions(address, address, dataDir, List.of(address), writeTimeout, snapshotDelay, autoSnapshotEntries,
        logSegmentSize, standalone, tls, closeThreshold, insecureTransport);
  }
}
